/**
 * Phase 1 of a backfill: read every page of the Pass API, appending each page's rows to the spool
 * and moving the checkpoint past it, so a run stopped at page N resumes at page N.
 */
import { fetchPassPage } from './pass-api';
import type { PlatformClient } from './platform-client';
import type { Checkpoint } from './checkpoint';
import type { SpoolRow } from './truth';

export interface PageStore {
  append(rows: SpoolRow[]): void;
  save(checkpoint: Checkpoint): void;
}

export interface ProgressSink {
  start(phase: string, total: number, done: number): void;
  update(done: number, total?: number): void;
  stop(): void;
}

export const NO_PROGRESS: ProgressSink = { start() {}, update() {}, stop() {} };

/** Stop when past the announced total, or, without one, at the first short page. */
function lastPage(checkpoint: Checkpoint, received: number): boolean {
  const read = (checkpoint.nextPageIndex + 1) * checkpoint.pageSize;
  if (received === 0) return true;
  return checkpoint.total !== null ? read >= checkpoint.total : received < checkpoint.pageSize;
}

export async function readAllPages(
  client: PlatformClient,
  checkpoint: Checkpoint,
  store: PageStore,
  now: () => number,
  progress: ProgressSink,
): Promise<{ skipped: number }> {
  let skipped = 0;
  const pages = (total: number | null): number =>
    total === null ? checkpoint.nextPageIndex + 1 : Math.ceil(total / checkpoint.pageSize);
  progress.start('pages', pages(checkpoint.total), checkpoint.nextPageIndex);
  while (checkpoint.phase === 'pages') {
    const readAtMs = now();
    const page = await fetchPassPage(client, {
      tenantId: checkpoint.tenantId,
      pageIndex: checkpoint.nextPageIndex,
      pageSize: checkpoint.pageSize,
      passType: checkpoint.passType || undefined,
    });
    skipped += page.skipped;
    if (page.total !== null) checkpoint.total = page.total;
    store.append(page.rows.map((row) => Object.assign({ readAtMs }, row)));
    const done = lastPage(checkpoint, page.rows.length + page.skipped);
    checkpoint.nextPageIndex++;
    if (done) checkpoint.phase = 'reconcile';
    store.save(checkpoint);
    progress.update(checkpoint.nextPageIndex, pages(checkpoint.total));
  }
  progress.stop();
  return { skipped };
}
