/**
 * Section 4, parent side: serves the slow CRM (a low rate limit the tenant is configured for, so
 * the backlog waits in the connector's queue instead of bouncing off 429s), forks the backlog
 * process, takes its report and makes sure it is gone, within a deadline.
 */
import type { BenchConfig } from './config';
import { forkTs, nextMessage, stopChild } from './child';
import type { MemoryReport, MemoryStart } from './memory-child';
import { passTypeOf } from './tenant';

export interface MemoryResult extends Omit<MemoryReport, 'type'> {
  crmRatePerSec: number;
  /** Growth from the last wave before the queue refused anything to the last wave: ~0 when bounded. */
  growthAfterLimitMb: number | null;
  liveHeapGrowthAfterLimitMb: number | null;
  bounded: string;
}

export async function measureMemory(
  bundleFile: string,
  apiKey: string,
  cfg: BenchConfig,
): Promise<MemoryResult> {
  const child = forkTs('memory-child.ts', ['--expose-gc']);
  try {
    const start: MemoryStart = {
      type: 'start',
      bundleFile,
      apiKey,
      passType: passTypeOf('memory'),
      calls: cfg.memoryCalls,
      wave: cfg.memoryWave,
      pauseMs: cfg.mode === 'smoke' ? 100 : 200,
    };
    child.send(start);
    const report = await nextMessage<MemoryReport>(child, 'report', cfg.mode === 'smoke' ? 20_000 : 120_000);
    const full = report.waves.findIndex((w) => w.refused > 0);
    const before = full > 0 ? report.waves[full - 1] : undefined;
    const last = report.waves[report.waves.length - 1];
    const diff = (a: number | null | undefined, b: number | null | undefined): number | null =>
      before && last && typeof a === 'number' && typeof b === 'number' ? Math.round((b - a) * 10) / 10 : null;
    const rest: Partial<MemoryReport> = { ...report };
    delete rest.type;
    return {
      ...(rest as Omit<MemoryReport, 'type'>),
      crmRatePerSec: cfg.memoryRate,
      growthAfterLimitMb: diff(before?.rssMb, last?.rssMb),
      liveHeapGrowthAfterLimitMb: diff(before?.liveHeapMb, last?.liveHeapMb),
      bounded:
        report.refusedQueueFull > 0
          ? `the queue limit: with ${report.queuedAtEnd} events queued, each further call is refused at once with a transient error`
          : 'queue limit not reached at this size',
    };
  } finally {
    await stopChild(child);
  }
}
