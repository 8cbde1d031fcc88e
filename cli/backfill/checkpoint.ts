/**
 * The checkpoint of a backfill: a small JSON file (what was done, the counts) and, beside it, a JSON
 * Lines spool of the pass rows read so far. Reading all pages comes first (a customer's truth needs
 * all their passes), then reconciling, customer chunk by chunk; either phase resumes where it stopped.
 * The JSON file is replaced atomically (write + rename), so a kill never leaves half of one.
 *
 * The spool is appended one page at a time, every row a line ending in "\n". A kill during an append
 * can leave a torn last line (no "\n"): the checkpoint was not moved past that page yet, so resuming
 * truncates the torn tail (repairSpool) and reads the page again. Any other unreadable line is not
 * something a kill leaves: the spool is refused rather than read with a pass missing.
 */
import {
  appendFileSync,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { UsageError } from '../exit-codes';
import type { SpoolRow } from './truth';

export interface Counts {
  checked: number;
  repaired: number;
  unchanged: number;
  failed: number;
}

export interface Checkpoint {
  version: 1;
  tenantId: string;
  passType: string | null;
  pageSize: number;
  phase: 'pages' | 'reconcile';
  /** Next page to read (every page before it is in the spool). */
  nextPageIndex: number;
  total: number | null;
  /** Customers (in sorted join-key order) already reconciled everywhere. */
  customersDone: number;
  counts: Counts;
}

export function emptyCounts(): Counts {
  return { checked: 0, repaired: 0, unchanged: 0, failed: 0 };
}

export function spoolPath(file: string): string {
  return `${file}.passes.jsonl`;
}

export function readCheckpoint(file: string): Checkpoint | null {
  if (!existsSync(file)) return null;
  let json: Checkpoint;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
  } catch {
    throw new UsageError(`checkpoint ${file} is not valid JSON: delete it to start over`);
  }
  if (!json || json.version !== 1 || typeof json.nextPageIndex !== 'number')
    throw new UsageError(`checkpoint ${file} is not a backfill checkpoint: delete it to start over`);
  return json;
}

export function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checkpoint, null, 2)}\n`);
  renameSync(tmp, file);
}

export function appendSpool(file: string, rows: SpoolRow[]): void {
  if (rows.length === 0) return;
  appendFileSync(spoolPath(file), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/**
 * Truncates a torn last line (one without its "\n", as a kill during an append leaves it). Returns
 * the bytes dropped, 0 when the spool was whole. Only for a run stopped while reading pages: the
 * page the torn line belonged to has not been checkpointed, so it is read again.
 */
export function repairSpool(file: string): number {
  const path = spoolPath(file);
  if (!existsSync(path)) return 0;
  const bytes = readFileSync(path);
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return 0;
  const keep = bytes.lastIndexOf(0x0a) + 1;
  truncateSync(path, keep);
  return statSync(path).size === keep ? bytes.length - keep : 0;
}

function damaged(path: string, line: number, what: string): UsageError {
  return new UsageError(
    `backfill spool ${path} line ${line} ${what}: it was not written by an interrupted run; run the backfill without --resume to start over`,
  );
}

function isSpoolRow(value: unknown): value is SpoolRow {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const row = value as Record<string, unknown>;
  return (
    typeof row.passId === 'string' &&
    row.identifiers !== null &&
    typeof row.identifiers === 'object' &&
    typeof row.readAtMs === 'number'
  );
}

export function readSpool(file: string): SpoolRow[] {
  const path = spoolPath(file);
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // Written whole, every row ends in "\n": the piece after the last one is empty unless torn.
  if (lines[lines.length - 1] !== '') throw damaged(path, lines.length, 'is cut short');
  const rows: SpoolRow[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    let row: unknown;
    try {
      row = JSON.parse(lines[i] as string);
    } catch {
      throw damaged(path, i + 1, 'is not JSON');
    }
    if (!isSpoolRow(row)) throw damaged(path, i + 1, 'is not a pass row');
    rows.push(row);
  }
  return rows;
}

export function clearCheckpoint(file: string): void {
  rmSync(file, { force: true });
  rmSync(spoolPath(file), { force: true });
}
