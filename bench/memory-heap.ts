/**
 * What one queued event holds, measured: builds the bench tenant UNMINIFIED (readable constructor
 * names), offers a warm-up wave and then N more calls to a slow CRM, and compares two heap
 * snapshots taken after a full collection: per constructor, the objects and bytes the N queued
 * calls added, divided by N. `npx tsx bench/memory-heap.ts [--calls N]` (run with --expose-gc).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { loadBundle } from '../cli/build/load-bundle';
import type { Hooks } from './burst';
import { FULL } from './config';
import { runAsMain } from './main';
import { withSlowCrm } from './memory';
import { passTypeOf, SECRET_NAME } from './tenant';

interface Row {
  count: number;
  bytes: number;
}

/** Objects and self bytes per "type:name" in a heap snapshot. */
function census(file: string): Map<string, Row> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: {
      meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
    };
    nodes: number[];
    edges: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt, edgesAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) =>
    fields.indexOf(f),
  ) as [number, number, number, number];
  const edgeFields = snap.snapshot.meta.edge_fields;
  const edgeWidth = edgeFields.length;
  const [edgeTypeAt, edgeNameAt] = ['type', 'name_or_index'].map((f) => edgeFields.indexOf(f)) as [
    number,
    number,
  ];
  const edgeTypes = snap.snapshot.meta.edge_types[0];
  const types = snap.snapshot.meta.node_types[0];
  const rows = new Map<string, Row>();
  let edge = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt] as number] as string;
    let name = snap.strings[snap.nodes[i + nameAt] as number] as string;
    const edges = snap.nodes[i + edgesAt] as number;
    // Objects and contexts are told apart by what they hold: their property or variable names.
    if ((type === 'object' && (name === 'Object' || name === 'system / Context')) || type === 'hidden') {
      const names: string[] = [];
      for (let e = edge; e < edge + edges * edgeWidth; e += edgeWidth) {
        const et = edgeTypes[snap.edges[e + edgeTypeAt] as number];
        if (et === 'property' || et === 'context')
          names.push(snap.strings[snap.edges[e + edgeNameAt] as number] as string);
      }
      name = `${name} {${names.slice(0, 12).join(',')}}`;
    }
    edge += edges * edgeWidth;
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string')
      name = name
        .replace(/[0-9]+/g, '#')
        .replace(/[a-f#]{16,}/g, 'HEX')
        .slice(0, 40);
    if (type === 'number') name = '';
    const key = `${type}:${name.slice(0, 100)}`;
    const row = rows.get(key) || { count: 0, bytes: 0 };
    row.count++;
    row.bytes += snap.nodes[i + sizeAt] as number;
    rows.set(key, row);
  }
  return rows;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const at = process.argv.indexOf('--calls');
  const calls = at > 0 ? Number(process.argv[at + 1]) : 5000;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (NODE_OPTIONS=--expose-gc npx tsx ...)');
  await withSlowCrm(FULL, false, async (bundleFile, apiKey) => {
    const bundle = loadBundle(readFileSync(bundleFile, 'utf8'), {
      fetch,
      timers: true,
      secrets: { [SECRET_NAME]: apiKey },
      console: {},
    });
    const snapshots = mkdtempSync(join(tmpdir(), 'twc-bench-heap-'));
    const hooks = bundle.hooks as Hooks;
    let next = 0;
    const offer = (n: number): void => {
      for (let end = next + n; next < end; next++) {
        const id = `m-${next}`;
        hooks
          .OnPassInstalled(`p-${id}`, passTypeOf('memory'), { customerId: id }, 'apple', {
            activeRegistrationCount: 1,
            totalRegistrationCount: 1,
          })
          .then(
            () => undefined,
            () => undefined,
          );
      }
    };
    // Warm-up: first call measures timers, limiter and batches start; their objects are not per event.
    offer(1000);
    await sleep(500);
    bundle.logs.length = 0;
    gc();
    const beforeFile = writeHeapSnapshot(join(snapshots, 'before.heapsnapshot'));
    offer(calls);
    await sleep(500);
    bundle.logs.length = 0;
    gc();
    const afterFile = writeHeapSnapshot(join(snapshots, 'after.heapsnapshot'));
    const before = census(beforeFile);
    const after = census(afterFile);
    const diff: Array<[string, number, number]> = [];
    let total = 0;
    for (const [key, row] of after) {
      const was = before.get(key) || { count: 0, bytes: 0 };
      const bytes = (row.bytes - was.bytes) / calls;
      const count = (row.count - was.count) / calls;
      total += bytes;
      if (Math.abs(bytes) >= 4 || Math.abs(count) >= 0.3) diff.push([key, count, bytes]);
    }
    diff.sort((a, b) => b[2] - a[2]);
    const lines = diff.map(
      ([key, count, bytes]) => `${bytes.toFixed(1).padStart(8)} B ${count.toFixed(2).padStart(6)} x  ${key}`,
    );
    process.stdout.write(`${lines.join('\n')}\n${total.toFixed(0)} bytes per queued call (self sizes)\n`);
    rmSync(snapshots, { recursive: true, force: true });
  });
}

runAsMain(main);
