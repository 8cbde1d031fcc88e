/**
 * The checkpoint of a backfill: a small JSON file (what was done, the counts) and, beside it, a JSON
 * Lines spool of the pass rows read so far. Reading all pages comes first (a customer's truth needs
 * all their passes), then reconciling, customer chunk by chunk; either phase resumes where it stopped.
 * The JSON file is replaced atomically (write + rename), so a kill never leaves half of one.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

export function readSpool(file: string): SpoolRow[] {
  const path = spoolPath(file);
  if (!existsSync(path)) return [];
  const rows: SpoolRow[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      rows.push(JSON.parse(line) as SpoolRow);
    } catch {
      // A line cut short by a kill: its page is read again on resume.
    }
  }
  return rows;
}

export function clearCheckpoint(file: string): void {
  rmSync(file, { force: true });
  rmSync(spoolPath(file), { force: true });
}
