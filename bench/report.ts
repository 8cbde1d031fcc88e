/**
 * The run as Markdown tables (printed, and written to latest.md): each figure beside the target it
 * is reported against. Targets are never asserted; a miss is shown as a miss.
 */
import type { BenchResult } from './run';
import type { CeilingResult } from './ceiling';
import { renderEngineMarkdown } from './engine';

const TARGETS = {
  right: { ratio: 0.9, refusedShare: 0 },
  unknown: { ratio: 0.75, refusedShare: 0.02 },
  /** CPU per event, connector / bare axios POST (issue #15 item 1). */
  overheadRatio: 1.5,
  bundleKb: 150,
  loadMs: 20,
};

const yes = (ok: boolean): string => (ok ? 'met' : '**missed**');
const ms = (v: number | null): string =>
  v === null ? '-' : v >= 10000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`;
const mb = (v: number | null): string => (v === null ? '- (limit not reached)' : `${v} MB`);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

function targetOf(c: CeilingResult): string {
  if (c.config === 'right') {
    const ok = c.ratio >= TARGETS.right.ratio && c.refused429 === 0;
    return `>= 0.9, 0 x 429: ${yes(ok)}`;
  }
  if (c.config === 'unknown') {
    const ok = c.ratio >= TARGETS.unknown.ratio && c.refusedShare < TARGETS.unknown.refusedShare;
    return `>= 0.75, < 2% refused: ${yes(ok)}`;
  }
  return 'baseline';
}

function label(c: CeilingResult): string {
  if (c.config === 'right') return 'connector, limit configured right';
  if (c.config === 'unknown') return `connector, limit unknown (configured ${c.configuredRate}/s)`;
  return 'naive (PUT per event, no throttle, no retry)';
}

function ceilingTable(r: BenchResult): string[] {
  const rows = r.ceiling.map((c) =>
    [
      label(c),
      c.recordsPerSec.toFixed(1),
      c.ceilingPerSec.toFixed(0),
      c.ratio.toFixed(3),
      `${c.refused429} of ${c.requests} (${(c.refusedShare * 100).toFixed(1)}%)`,
      ms(c.settleP50Ms),
      ms(c.settleP99Ms),
      c.truth.mismatches === 0
        ? `exact (${c.truth.customers})`
        : `${c.truth.mismatches} of ${c.truth.customers} wrong`,
      String(c.lostEvents),
      `${(c.durationMs / 1000).toFixed(1)} s${c.timedOut ? ' (deadline)' : ''}`,
      targetOf(c),
    ].join(' | '),
  );
  return [
    '| configuration | records/s | ceiling | ratio | 429 refused | p50 call-to-settle | p99 | final state vs truth | lost events | run | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
    ...rows.map((row) => `| ${row} |`),
  ];
}

export function renderMarkdown(r: BenchResult): string {
  const m = r.machine;
  const cfg = r.config;
  const o = r.overhead;
  const b = r.bundle;
  const mem = r.memory;
  const first = r.ceiling[0] as CeilingResult;
  const perSec = (cfg.rate * 1000) / cfg.intervalMs;
  return [
    `# Benchmark results (${r.mode})`,
    '',
    `${r.at} on ${m.cpus} x ${m.cpuModel}, ${m.totalMemMb} MB, Node ${m.node} (${m.platform}); whole run ${r.wallSeconds} s`,
    `(${Object.keys(r.sectionSeconds)
      .map((k) => `${k}: ${r.sectionSeconds[k]} s`)
      .join('; ')}).`,
    '',
    `## 1. Ceiling efficiency`,
    '',
    `A burst of ${first.calls} hook calls over ${cfg.customers} customers (generateSample, seed ${cfg.seed}: duplicates,`,
    'out-of-order delivery, several devices and passes, malformed calls), all fired at once through the BUILT bundle',
    '(engine-like context, fetch and timers lent) into the http CRM simulator. Scale: the simulator accepts',
    `R = ${cfg.rate} requests per sliding ${cfg.intervalMs} ms window (${perSec}/s) and answers 429 + Retry-After past it.`,
    `Ceiling for the http destination: one record per request (B = 1), and readModifyWrite spends a GET and a`,
    `PUT per record, so at most R x B / 2 = ${perSec / 2} records/s. records/s = records written (2xx PUTs) / time from the`,
    'first call to the last settling. Rejected calls are delivered again like the platform does',
    `(${cfg.redeliverRounds} rounds, ${cfg.redeliverDelayMs} ms apart); "lost" = calls never written in the end.`,
    '',
    ...ceilingTable(r),
    '',
    `## 2. Overhead`,
    '',
    '| | CPU per event | requests per event | CPU per request |',
    '| --- | ---: | ---: | ---: |',
    `| connector (built bundle, engine-like context) | ${o.connectorCpuUsPerEvent} µs | ${o.connectorRequestsPerEvent} | ${o.connectorCpuUsPerRequest} µs |`,
    `| bare axios POST (node:http adapter) | ${o.axiosCpuUsPerEvent} µs | 1 | ${o.axiosCpuUsPerEvent} µs |`,
    `| bare fetch POST (the client the bundle is lent) | ${o.fetchCpuUsPerEvent} µs | 1 | ${o.fetchCpuUsPerEvent} µs |`,
    '',
    `Ratio connector / axios per event: **${o.ratio}x** (target <= ${TARGETS.overheadRatio}x: ${yes(o.ratio <= TARGETS.overheadRatio)}); connector / bare fetch: ${o.ratioToFetch}x.`,
    `${o.events} events a round, ${o.rounds} round(s), ${o.concurrency} calls in flight. Method: ${o.method}.`,
    '',
    `## 3. Bundle`,
    '',
    '| minified | gzipped | load + register (median of ' +
      b.loads +
      ') | of which ES module -> script rewrite (harness) | first load |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${kb(b.bytes)} (target < ${TARGETS.bundleKb} KB: ${yes(b.bytes < TARGETS.bundleKb * 1024)}) | ${kb(b.gzipBytes)} | ${b.loadRegisterMedianMs} ms (target < ${TARGETS.loadMs} ms: ${yes(b.loadRegisterMedianMs < TARGETS.loadMs)}) | ${b.moduleRewriteMedianMs} ms | ${b.firstLoadMs} ms |`,
    '',
    `## 4. Memory under backlog`,
    '',
    `${mem.offered} calls (distinct customers, waves of ${cfg.memoryWave}) behind a CRM accepting ${mem.crmRatePerSec} requests/s, in a`,
    `child process: peak RSS **${mem.peakRssMb} MB** (${mem.baselineRssMb} MB before loading the bundle, ${mem.loadedRssMb} MB after).`,
    `Refused with a transient "queue full" error: ${mem.refusedQueueFull}; queued when measured: ${mem.queuedAtEnd};`,
    `other rejections: ${mem.otherRejections}. Growth once the queue was full (last wave before the first refusal -> last wave):`,
    `RSS ${mb(mem.growthAfterLimitMb)}, live heap after a forced GC ${mb(mem.liveHeapGrowthAfterLimitMb)}. Bounded by: ${mem.bounded}.`,
    '',
    '| offered | RSS | heap used | live heap (after GC) | refused (queue full) | resolved |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...mem.waves.map(
      (w) =>
        `| ${w.offered} | ${w.rssMb} MB | ${w.heapUsedMb} MB | ${w.liveHeapMb ?? '-'} MB | ${w.refused} | ${w.resolved} |`,
    ),
    ...(r.engine ? ['', renderEngineMarkdown(r.engine)] : []),
  ].join('\n');
}
