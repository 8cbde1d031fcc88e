/**
 * The nil-2021 stand-in's model of the 2021 build's lost rejections (cli/build/engine-floor.ts,
 * loseLateRejections), checked against what was measured on 40de922e: an async function that throws
 * after its first resume rejects, after its second it never settles; a throw in a native `then`
 * callback rejects. Settlement is judged after a macrotask turn: every microtask has run by then.
 */
import * as vm from 'node:vm';
import { loseLateRejections } from '../../cli/build/engine-floor';

type Outcome = 'resolved' | 'rejected' | 'pending';

async function outcomeOf(promise: Promise<unknown>): Promise<Outcome> {
  let outcome: Outcome = 'pending';
  promise.then(
    () => (outcome = 'resolved'),
    () => (outcome = 'rejected'),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return outcome;
}

const SCRIPT = `
async function one() { var a = await Promise.resolve(1); throw new Error('one'); }
async function two() { var a = await Promise.resolve(1); var b = await Promise.resolve(2); throw new Error('two'); }
async function twoOk() { var a = await Promise.resolve(1); var b = await Promise.resolve(2); return a + b; }
async function settles() { var a = await Promise.resolve(1); var b = await Promise.resolve(2); return { failed: true }; }
function chained() { return settles().then(function (r) { if (r.failed) throw new Error('chained'); return true; }); }
`;

function load(script: string): Record<string, () => Promise<unknown>> {
  const context = vm.createContext({});
  vm.runInContext(script, context);
  return context as Record<string, () => Promise<unknown>>;
}

describe('the 2021 build lost rejections, as modelled', () => {
  test('as written (the newest build): every throw rejects', async () => {
    const f = load(SCRIPT);
    expect(await outcomeOf(f.one!())).toBe('rejected');
    expect(await outcomeOf(f.two!())).toBe('rejected');
    expect(await outcomeOf(f.chained!())).toBe('rejected');
  });

  test('modelled: a throw after the second await never settles; after the first, and in a then, it rejects', async () => {
    const f = load(loseLateRejections(SCRIPT));
    expect(await outcomeOf(f.one!())).toBe('rejected');
    expect(await outcomeOf(f.two!())).toBe('pending');
    expect(await outcomeOf(f.twoOk!())).toBe('resolved');
    await expect(f.twoOk!()).resolves.toBe(3);
    expect(await outcomeOf(f.chained!())).toBe('rejected');
  });
});
