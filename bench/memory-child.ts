/**
 * Section 4, in its own process so its RSS is the backlog's alone: the BUILT bundle takes waves of
 * calls (distinct customers) while its CRM accepts a few requests a second. The connector's queue
 * is bounded: past its limit a call is refused at once with a transient error (the platform
 * delivers it again later), so memory stops growing with the backlog. The process exits as soon
 * as the measurement is taken: the backlog is abandoned, not drained.
 */
import { readFileSync } from 'node:fs';
import { loadBundle } from '../cli/build/load-bundle';
import type { Hooks } from './burst';
import { SECRET_NAME } from './tenant';

export interface MemoryStart {
  type: 'start';
  bundleFile: string;
  apiKey: string;
  passType: string;
  calls: number;
  wave: number;
  /** Time between waves: the sampler runs, the queue's refusals settle. */
  pauseMs: number;
}

export interface WaveSample {
  offered: number;
  rssMb: number;
  heapUsedMb: number;
  /** Heap still in use after a full collection: what the backlog really holds. */
  liveHeapMb: number | null;
  refused: number;
  resolved: number;
}

export interface MemoryReport {
  type: 'report';
  baselineRssMb: number;
  loadedRssMb: number;
  peakRssMb: number;
  waves: WaveSample[];
  offered: number;
  refusedQueueFull: number;
  otherRejections: number;
  resolved: number;
  queuedAtEnd: number;
  refusalMessage: string | null;
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function run(start: MemoryStart): Promise<MemoryReport> {
  let peak = process.memoryUsage().rss;
  const baseline = peak;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const bundle = loadBundle(readFileSync(start.bundleFile, 'utf8'), {
    fetch,
    timers: true,
    secrets: { [SECRET_NAME]: start.apiKey },
    // A full queue makes one warning line per refused call: counted by the promise, not kept.
    console: {},
  });
  bundle.logs.length = 0;
  const hooks = bundle.hooks as Hooks;
  const loaded = process.memoryUsage().rss;
  let refused = 0;
  let other = 0;
  let resolved = 0;
  let message: string | null = null;
  const waves: WaveSample[] = [];
  let offered = 0;
  // One pair of handlers for every call: per-call closures would be the harness's memory, not the
  // connector's (a real host keeps its own task per call, outside the script's heap).
  const onResolved = (): void => void resolved++;
  const onRejected = (error: unknown): void => {
    const text = error instanceof Error ? error.message : String(error);
    if (/queue full/.test(text)) {
      refused++;
      if (!message) message = text;
    } else other++;
  };
  while (offered < start.calls) {
    const end = Math.min(start.calls, offered + start.wave);
    for (; offered < end; offered++) {
      const id = `m-${offered}`;
      hooks
        .OnPassInstalled(`p-${id}`, start.passType, { customerId: id }, 'apple', {
          activeRegistrationCount: 1,
          totalRegistrationCount: 1,
        })
        .then(onResolved, onRejected);
    }
    await sleep(start.pauseMs);
    // The bundle keeps every log line it writes; the bench does not want that list to be the growth.
    bundle.logs.length = 0;
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    // Garbage not yet collected is not backlog: a forced collection tells them apart (--expose-gc).
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) gc();
    const live = gc ? mb(process.memoryUsage().heapUsed) : null;
    waves.push({
      offered,
      rssMb: mb(usage.rss),
      heapUsedMb: mb(usage.heapUsed),
      liveHeapMb: live,
      refused,
      resolved,
    });
  }
  clearInterval(sampler);
  return {
    type: 'report',
    baselineRssMb: mb(baseline),
    loadedRssMb: mb(loaded),
    peakRssMb: mb(peak),
    waves,
    offered,
    refusedQueueFull: refused,
    otherRejections: other,
    resolved,
    queuedAtEnd: offered - refused - other - resolved,
    refusalMessage: message,
  };
}

process.once('message', (message: MemoryStart) => {
  if (message.type !== 'start') return;
  run(message).then(
    (report) => {
      process.send?.(report, () => process.exit(0));
    },
    (error: unknown) => {
      process.send?.({ type: 'error', message: String(error) }, () => process.exit(1));
    },
  );
});
// The parent went away or asked to stop: the abandoned backlog dies with this process.
process.on('disconnect', () => process.exit(0));
process.on('message', (m: { type?: string }) => {
  if (m && m.type === 'stop') process.exit(0);
});
