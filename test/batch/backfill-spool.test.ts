/**
 * Resuming a backfill whose spool a kill left torn (issue 13). A kill during an append leaves half a
 * line; the next run used to glue the re-read page's first row onto it and skip both without a word
 * (exit 0, one pass never written). Now the torn tail is truncated and said, and a line no kill can
 * leave (a `null`) refuses the spool with the fix, instead of a raw TypeError.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { runBackfill, type BackfillOptions } from '../../cli/backfill/run';
import { spoolPath } from '../../cli/backfill/checkpoint';
import { UsageError } from '../../cli/exit-codes';
import type { LogRecord } from '../../connector/platform/host';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { startPassApiSimulator, type PassApiSimulator } from '../sim/pass-api';
import {
  CRM_KEY,
  EXPECTED,
  TWC_KEY,
  secrets,
  tempCheckpoint,
  tenant,
  truthPasses,
  visible,
} from './backfill-fixture';

describe('backfill spool after a kill', () => {
  let crm: HttpCrmSimulator;
  let api: PassApiSimulator;
  let logs: LogRecord[];

  beforeEach(async () => {
    crm = await startHttpCrmSimulator({ apiKey: CRM_KEY });
    api = await startPassApiSimulator({ apiKey: TWC_KEY, passes: truthPasses() });
    logs = [];
  });
  afterEach(async () => {
    await crm.server.close();
    await api.server.close();
  });

  const options = (extra: Partial<BackfillOptions>): BackfillOptions => ({
    config: tenant(crm.server.url, api.url),
    secrets,
    checkpointFile: tempCheckpoint(),
    pageSize: 3,
    log: (r) => logs.push(r),
    passApiRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });

  /** A run stopped at page 2 (pages 0 and 1 in the spool), as a kill during page 2 would leave it. */
  async function stoppedAtPage2(): Promise<string> {
    api.server.setFaults({ match: (r) => r.query.pageIndex === '2', kinds: ['503'] });
    const file = tempCheckpoint();
    const stopped = await runBackfill(options({ checkpointFile: file }));
    expect(stopped.interrupted).toMatch(/^page 2: /);
    api.server.setFaults(null);
    return file;
  }

  it('a torn last line is truncated, said in the log, and its page read again: every pass lands', async () => {
    const file = await stoppedAtPage2();
    // Half of page 2's first row, as a kill during its append leaves it (no newline).
    appendFileSync(spoolPath(file), '{"readAtMs":1,"passId":"p-7a","passTy');
    const resumed = await runBackfill(options({ checkpointFile: file, resume: true }));
    expect(resumed.resumedAtPage).toBe(2);
    expect(resumed.interrupted).toBeNull();
    for (const key of Object.keys(EXPECTED))
      expect([key, visible(crm.records.get(key))]).toEqual([key, EXPECTED[key]]);
    const said = logs.filter((l) => /torn last line/.test(l.msg));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ level: 'warn', page: 2, droppedBytes: 37 });
  });

  it('a line no kill can leave (null) refuses the spool with the fix, and writes nothing', async () => {
    const file = await stoppedAtPage2();
    const lines = readFileSync(spoolPath(file), 'utf8').split('\n').length - 1;
    appendFileSync(spoolPath(file), 'null\n');
    const mark = crm.server.requests.length;
    const error = await runBackfill(options({ checkpointFile: file, resume: true })).then(
      () => new Error('expected a refusal'),
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain(`line ${lines + 1} is not a pass row`);
    expect(error.message).toContain('without --resume');
    expect(crm.server.requests.length).toBe(mark);
  });
});
