/**
 * Section 1, ceiling efficiency: the burst through the BUILT bundle (loaded in the engine-like
 * context, Node's fetch and timers lent) into a CRM simulator that enforces the real limit.
 *
 * Ceiling, in records written per second, for the http destination: each request carries B = 1
 * record, and readModifyWrite spends 2 requests per record (GET then PUT), so with the CRM
 * accepting R requests/s no connector can write more than R x B / 2 = R / 2 records/s.
 */
import { loadBundle } from '../cli/build/load-bundle';
import { peakInWindow } from '../test/sim/rate-limit';
import type { HttpCrmSimulator } from '../test/sim/http-crm';
import { runBurst, type BurstResult, type Hooks } from './burst';
import type { BenchConfig } from './config';
import { countByMessage, pct, round } from './stats';
import { SECRET_NAME } from './tenant';
import { checkTruth, type TruthCheck, type Workload } from './workload';

export interface CeilingResult {
  config: string;
  /** What the tenant file says vs what the simulator enforces, requests per second. */
  configuredRate: number | null;
  realRate: number;
  calls: number;
  recordsWritten: number;
  durationMs: number;
  recordsPerSec: number;
  ceilingPerSec: number;
  /** How the ceiling is counted for this configuration. */
  ceilingRule: string;
  ratio: number;
  requests: number;
  refused429: number;
  refusedShare: number;
  /** Most requests the CRM accepted in any one window: at most the real limit. */
  peakAcceptedInWindow: number;
  settleP50Ms: number | null;
  settleP99Ms: number | null;
  truth: TruthCheck;
  /** Calls whose event never reached the CRM (rejected after every redelivery, or never retried). */
  lostEvents: number;
  rejectedOnce: number;
  redeliveries: number;
  timedOut: boolean;
  logLines: Record<string, number>;
  /** Requests the CRM accepted in each second of the run: shows how the limiter paced (or hunted). */
  acceptedPerSecond: number[];
}

function perSecond(times: number[]): number[] {
  if (times.length === 0) return [];
  const t0 = Math.min(...times);
  const out: number[] = [];
  for (const t of times) {
    const s = Math.floor((t - t0) / 1000);
    while (out.length <= s) out.push(0);
    out[s] = (out[s] as number) + 1;
  }
  return out;
}

export interface SimUse {
  sim: HttpCrmSimulator;
  /** Index of the simulator's first request of this run (a simulator may serve earlier sections). */
  from: number;
}

export function summarizeSim(
  use: SimUse,
  burst: BurstResult,
  cfg: BenchConfig,
  extra: { config: string; configuredRate: number | null; recordsPerRequest: number; ceilingRule: string },
  workload: Workload,
  logLines: Record<string, number>,
): CeilingResult {
  const requests = use.sim.server.requests.slice(use.from);
  const realRate = (cfg.rate * 1000) / cfg.intervalMs;
  const written = requests.filter((r) => r.method === 'PUT' && r.status !== null && r.status < 300).length;
  const refused = requests.filter((r) => r.refused).length;
  const accepted = requests.filter((r) => !r.refused).map((r) => r.at);
  const seconds = burst.durationMs / 1000;
  const ceiling = realRate * extra.recordsPerRequest;
  const perSec = seconds > 0 ? written / seconds : 0;
  return {
    config: extra.config,
    configuredRate: extra.configuredRate,
    realRate,
    calls: burst.calls,
    recordsWritten: written,
    durationMs: round(burst.durationMs),
    recordsPerSec: round(perSec, 1),
    ceilingPerSec: round(ceiling, 1),
    ceilingRule: extra.ceilingRule,
    ratio: round(perSec / ceiling, 3),
    requests: requests.length,
    refused429: refused,
    refusedShare: requests.length ? round(refused / requests.length, 4) : 0,
    peakAcceptedInWindow: peakInWindow(accepted, cfg.intervalMs),
    settleP50Ms: pct(burst.settleMs, 0.5),
    settleP99Ms: pct(burst.settleMs, 0.99),
    truth: checkTruth(use.sim, workload.expected),
    lostEvents: burst.lost,
    rejectedOnce: burst.rejectedOnce,
    redeliveries: burst.redeliveries,
    timedOut: burst.timedOut,
    logLines,
    acceptedPerSecond: perSecond(accepted),
  };
}

export async function connectorCeiling(
  bundleCode: string,
  apiKey: string,
  sim: HttpCrmSimulator,
  cfg: BenchConfig,
  config: 'right' | 'unknown',
  configuredRate: number,
  work: Workload,
): Promise<CeilingResult> {
  const lines: string[] = [];
  const sink = (line: string): void => void lines.push(line);
  // A fresh load per configuration: its limiter starts from what the tenant file says.
  const bundle = loadBundle(bundleCode, {
    fetch,
    timers: true,
    secrets: { [SECRET_NAME]: apiKey },
    console: { log: sink, info: sink, warn: sink, error: sink },
  });
  const use = { sim, from: sim.server.requests.length };
  const burst = await runBurst(bundle.hooks as Hooks, work.calls, {
    redeliverRounds: cfg.redeliverRounds,
    redeliverDelayMs: cfg.redeliverDelayMs,
    deadlineMs: cfg.scenarioDeadlineMs,
  });
  return summarizeSim(
    use,
    burst,
    cfg,
    {
      config,
      configuredRate,
      recordsPerRequest: 0.5,
      ceilingRule: 'R x B / 2 (readModifyWrite: a GET and a PUT per record, B = 1)',
    },
    work,
    countByMessage(lines),
  );
}
