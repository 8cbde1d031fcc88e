/**
 * mergeStates is a join: commutative, associative, idempotent, so racing writers that merge what
 * they read back converge whatever the order. And it is what the read-modify-write job computes when
 * a writer finds its events overwritten: reducing its own events onto the other writer's record
 * gives the tally of the merge, and the same tally as one writer that saw every event.
 *
 * States are built the way writers build them: each writer reduces a random subset of one true
 * history (registration counts per wallet, several devices), received in any order, from nothing.
 */
import fc from 'fast-check';
import { mergeStates } from '../../connector/domain/merge-state';
import { reduce } from '../../connector/domain/reducer';
import {
  decodeSyncState,
  encodeSyncState,
  type SyncState,
  type TallyFloor,
} from '../../connector/domain/sync-state';
import type { CanonicalFields, Wallet, WalletEvent } from '../../connector/domain/types';
import { countedWalletEvent } from '../support/wallet-events';

const RUNS = Number(process.env.REDUCER_PROPERTY_RUNS || 300);
const BASE_MS = Date.UTC(2026, 10, 27, 10, 0, 0);

interface TrueEvent {
  passId: string;
  wallet: Wallet;
  installed: boolean;
  total: number;
  active: number;
}

/** Per (pass, wallet) a history of at most 6 events (no folding), at most 2 devices. */
const historyArb = fc.array(
  fc.record({ pass: fc.constantFrom('p-1', 'p-2'), google: fc.boolean(), install: fc.boolean() }),
  { maxLength: 14 },
);

function trueEvents(ops: Array<{ pass: string; google: boolean; install: boolean }>): TrueEvent[] {
  const own: Record<string, number> = {};
  const total: Record<string, number> = {};
  const count: Record<string, number> = {};
  const out: TrueEvent[] = [];
  for (const op of ops) {
    const wallet: Wallet = op.google ? 'google' : 'apple';
    const k = `${op.pass}/${wallet}`;
    if ((count[k] || 0) >= 6) continue;
    count[k] = (count[k] || 0) + 1;
    const installed = !own[k] || (op.install && (own[k] as number) < 2);
    own[k] = (own[k] || 0) + (installed ? 1 : -1);
    if (installed) total[k] = (total[k] || 0) + 1;
    out.push({ passId: op.pass, wallet, installed, total: total[k] as number, active: own[k] as number });
  }
  return out;
}

function wire(e: TrueEvent, atMs: number): WalletEvent {
  const kind = e.installed ? 'installed' : 'uninstalled';
  return countedWalletEvent(
    { customer: 'c-1', passId: e.passId, wallet: e.wallet, kind, total: e.total, active: e.active },
    atMs,
  );
}

/** Three writers' shares of one history: which writer saw each event, and when it received it. */
const scenarioArb = historyArb.chain((ops) => {
  const events = trueEvents(ops);
  return fc.record({
    events: fc.constant(events),
    shares: fc.array(fc.array(fc.nat(2), { maxLength: 2 }), {
      minLength: events.length,
      maxLength: events.length,
    }),
    delays: fc.array(fc.nat(5000), { minLength: events.length, maxLength: events.length }),
  });
});

type Scenario = { events: TrueEvent[]; shares: number[][]; delays: number[] };

/** The events writer w saw, received in the order of their (shuffled) receipt times. */
function eventsOf(s: Scenario, w: number): WalletEvent[] {
  const out: WalletEvent[] = [];
  s.events.forEach((e, i) => {
    if ((s.shares[i] as number[]).indexOf(w) >= 0)
      out.push(wire(e, BASE_MS + i * 1000 + (s.delays[i] as number)));
  });
  return out;
}

function fieldsAfter(events: WalletEvent[], current: CanonicalFields | null = null): CanonicalFields | null {
  const r = reduce(current, events);
  return r.changed ? r.next : current;
}

function stateOf(fields: CanonicalFields | null): SyncState {
  return decodeSyncState(fields ? fields.walletSyncState : '').state;
}

const text = (s: SyncState): string => encodeSyncState(s);

/**
 * The tally without the newest-receipt time, which depends on the order events were applied in.
 * pointsOnly: a counts floor also without its receipt time (the same registration point reached
 * by two events, e.g. an uninstall to 0 and the next install's "none before me", is one point).
 */
function tally(s: SyncState, pointsOnly = false): unknown {
  const out: Record<string, unknown> = {};
  for (const id of Object.keys(s.passes).sort()) {
    const p = s.passes[id]!;
    const floorOf = (f: TallyFloor | null) =>
      f && pointsOnly && f.total !== null
        ? { total: f.total, active: f.active, net: f.net, sinceMs: f.sinceMs }
        : f;
    const strip = (w: typeof p.apple) =>
      w ? { installed: w.installed, sinceMs: w.sinceMs, floor: floorOf(w.floor), seen: w.seen } : null;
    out[id] = { apple: strip(p.apple), google: strip(p.google) };
  }
  return out;
}

const states = (s: Scenario): SyncState[] => [0, 1, 2].map((w) => stateOf(fieldsAfter(eventsOf(s, w))));

describe('mergeStates is a join', () => {
  it('commutative', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const [a, b] = states(s) as [SyncState, SyncState];
        expect(text(mergeStates(a, b))).toBe(text(mergeStates(b, a)));
      }),
      { numRuns: RUNS },
    );
  });

  it('associative', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const [a, b, c] = states(s) as [SyncState, SyncState, SyncState];
        expect(text(mergeStates(mergeStates(a, b), c))).toBe(text(mergeStates(a, mergeStates(b, c))));
      }),
      { numRuns: RUNS },
    );
  });

  it('idempotent, and merging what is already held changes nothing', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const [a, b] = states(s) as [SyncState, SyncState];
        expect(text(mergeStates(a, a))).toBe(text(a));
        const ab = mergeStates(a, b);
        expect(text(mergeStates(ab, b))).toBe(text(ab));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('racing writers converge', () => {
  it('the merge of two writers holds the tally of one writer that saw both shares', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const a = eventsOf(s, 0);
        const b = eventsOf(s, 1);
        const both = stateOf(fieldsAfter(a.concat(b)));
        expect(tally(mergeStates(stateOf(fieldsAfter(a)), stateOf(fieldsAfter(b))))).toEqual(tally(both));
      }),
      { numRuns: RUNS },
    );
  });

  it("a writer's rewrite (its events reduced onto the other's record) is the merge", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const a = eventsOf(s, 0);
        const overwritten = fieldsAfter(eventsOf(s, 1));
        const rewritten = stateOf(fieldsAfter(a, overwritten));
        const merged = mergeStates(stateOf(fieldsAfter(a)), stateOf(overwritten));
        expect(tally(rewritten, true)).toEqual(tally(merged, true));
      }),
      { numRuns: RUNS },
    );
  });
});
