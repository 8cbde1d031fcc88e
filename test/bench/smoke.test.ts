/**
 * Keeps `npm run bench` working: the smoke run goes through every section with the BUILT bundle at
 * tiny sizes. Only the shape of the result and the final CRM state are asserted: timings and
 * targets are reported by the full run, never asserted here (CI machines vary).
 */
import { SMOKE } from '../../bench/config';
import { renderMarkdown } from '../../bench/report';
import { runBench } from '../../bench/run';

it('the smoke benchmark produces every section, and the connector leaves the CRM exact', async () => {
  const result = await runBench(SMOKE);

  expect(result.ceiling.map((c) => c.config)).toEqual(['right', 'unknown', 'naive']);
  for (const c of result.ceiling.filter((x) => x.config !== 'naive')) {
    expect(c.truth.customers).toBe(SMOKE.customers);
    expect(c.truth.mismatches).toBe(0);
    expect(c.lostEvents).toBe(0);
    expect(c.recordsWritten).toBeGreaterThan(0);
  }
  expect(result.overhead.events).toBeGreaterThan(0);
  expect(Number.isFinite(result.overhead.ratio)).toBe(true);
  // Both transports measured: the held pair (node:http) and the connector lent Node's fetch.
  expect(result.overhead.connectorOverFetchCpuUsPerEvent).toBeGreaterThan(0);
  expect(Number.isFinite(result.overhead.ratioToFetch)).toBe(true);
  expect(result.bundle.bytes).toBeGreaterThan(0);
  expect(result.bundle.loads).toBe(SMOKE.loadRepeats);
  // The bundle alone is timed apart from the harness's rewrite (figures only, never compared here).
  expect(result.bundle.ownLoadRegisterMedianMs).toBeGreaterThan(0);
  expect(result.memory.offered).toBe(SMOKE.memoryCalls);
  expect(result.memory.waves.length).toBeGreaterThan(0);
  // The size by module accounts for every byte: modules plus the lowering line make the total.
  const sizes = result.bundle.sizes!;
  expect(sizes.modules.reduce((n, m) => n + m.bytes, 0) + sizes.loweringBytes).toBe(result.bundle.bytes);
  expect(sizes.modules.some((m) => m.module.startsWith('npm:axios/'))).toBe(true);
  const markdown = renderMarkdown(result);
  expect(markdown).toContain('## 4. Memory under backlog');
  expect(markdown).toContain('## Issue #15 targets, side by side');
}, 120_000);
