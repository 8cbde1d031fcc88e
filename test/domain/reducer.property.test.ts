/**
 * Properties of the status reducer: whatever the duplication and the delivery order of a true
 * history of installs and uninstalls (with consistent registration counts, several devices per
 * wallet, a pass on both wallets), the CRM fields converge to the state of that history, and replays
 * change nothing. Every property holds for both scopes of the counts (the event's wallet, or the whole
 * pass on both wallets), read with the default `auto` and with the setting that names the scope.
 */
import fc from 'fast-check';
import { reduce, type ReduceOptions } from '../../connector/domain/reducer';
import { decodeSyncState } from '../../connector/domain/sync-state';
import { countedWalletEvent, type CountedEvent } from '../support/wallet-events';
import type {
  CanonicalFields,
  RegistrationCountsReading,
  Wallet,
  WalletEvent,
  WalletStatus,
} from '../../connector/domain/types';

const RUNS = Number(process.env.REDUCER_PROPERTY_RUNS || 300);
const WALLETS: Wallet[] = ['apple', 'google'];
const BASE_MS = Date.UTC(2026, 10, 27, 10, 0, 0);
/**
 * Deliveries are received stepMs apart: 250 ms makes reinstalls "within one second" the common case;
 * 0 and 1 make many deliveries share a receipt millisecond, as concurrent hook calls do.
 */
const stepArb = fc.constantFrom(250, 1, 0);
const STEP_MS_NO_COUNTS = 100;

/** What the platform's counts cover: one platform has one scope, unknown to the connector. */
type Scope = 'perWallet' | 'perPass';

/** The counts (total, active) are as sent, in the scenario's scope. */
interface TrueEvent extends CountedEvent {
  id: number;
  /** The wallet's own active registrations after the event: the truth the status must show. */
  own: number;
  /** One delivery priority per copy: the copies are delivered in priority order. */
  copies: number[];
}

interface Delivery {
  event: TrueEvent;
  wire: WalletEvent;
}

const opArb = fc.record({
  google: fc.boolean(),
  install: fc.boolean(),
  copies: fc.array(fc.nat(10_000), { minLength: 1, maxLength: 3 }),
});
/** One pass's history, both wallets interleaved (the order matters when the counts cover the pass). */
const passArb = fc.array(opArb, { maxLength: 10 });
const customersArb = fc.array(fc.array(passArb, { minLength: 1, maxLength: 3 }), {
  minLength: 1,
  maxLength: 3,
});

type Generated = typeof customersArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * The true histories: per wallet at most three devices (phone, watch, tablet), an uninstall needs a
 * registration on its wallet. The counts follow the platform's rule (install: total+1, active+1;
 * uninstall: active-1) over the event's wallet or over the whole pass, as the scope says.
 */
function trueEvents(customers: Generated, scope: Scope): TrueEvent[] {
  const out: TrueEvent[] = [];
  customers.forEach((passes, c) => {
    passes.forEach((ops, p) => {
      const own: Record<Wallet, number> = { apple: 0, google: 0 };
      const totals: Record<Wallet, number> = { apple: 0, google: 0 };
      let passTotal = 0;
      for (const op of ops) {
        const wallet: Wallet = op.google ? 'google' : 'apple';
        const install = own[wallet] === 0 || (op.install && own[wallet] < 3);
        if (install) {
          own[wallet]++;
          totals[wallet]++;
          passTotal++;
        } else own[wallet]--;
        out.push({
          id: out.length,
          customer: 'c' + c,
          passId: 'c' + c + '-p' + p,
          wallet,
          kind: install ? 'installed' : 'uninstalled',
          total: scope === 'perPass' ? passTotal : totals[wallet],
          active: scope === 'perPass' ? own.apple + own.google : own[wallet],
          own: own[wallet],
          copies: op.copies,
        });
      }
    });
  });
  return out;
}

const wireEvent = countedWalletEvent;

/** Every copy of every event, in delivery order, received stepMs apart. */
function deliveries(events: TrueEvent[], stepMs: number): Delivery[] {
  const copies: { event: TrueEvent; priority: number; copy: number }[] = [];
  for (const event of events)
    event.copies.forEach((priority, copy) => copies.push({ event, priority, copy }));
  copies.sort((a, b) => a.priority - b.priority || a.event.id - b.event.id || a.copy - b.copy);
  return copies.map((c, i) => ({ event: c.event, wire: wireEvent(c.event, BASE_MS + (i + 1) * stepMs) }));
}

interface Expected {
  walletStatus: WalletStatus;
  appleWalletInstalledAt: string | null;
  googleWalletInstalledAt: string | null;
  installed: Record<string, Record<Wallet, boolean>>;
}

function statusOf(apple: boolean, google: boolean): WalletStatus {
  return apple ? (google ? 'both' : 'apple') : google ? 'google' : 'none';
}

/**
 * The truth of one customer: per (pass, wallet) the wallet's own registrations after its last true
 * event say installed; the current stretch began with the last install that took the wallet's own
 * registrations from 0 to 1, at the earliest receipt of that event; per wallet the earliest start
 * among installed passes.
 */
function expected(customer: string, events: TrueEvent[], delivered: Delivery[]): Expected {
  const installed: Record<string, Record<Wallet, boolean>> = {};
  const since: Record<Wallet, number | null> = { apple: null, google: null };
  const mine = events.filter((e) => e.customer === customer);
  for (const e of mine) installed[e.passId] = { apple: false, google: false };
  for (const passId of Object.keys(installed)) {
    for (const wallet of WALLETS) {
      const history = mine.filter((e) => e.passId === passId && e.wallet === wallet);
      const last = history[history.length - 1];
      if (!last || last.own === 0) continue;
      installed[passId]![wallet] = true;
      const start = history.filter((e) => e.kind === 'installed' && e.own === 1).pop() as TrueEvent;
      const at = Math.min(...delivered.filter((d) => d.event === start).map((d) => d.wire.receivedAtMs));
      const current = since[wallet];
      since[wallet] = current === null ? at : Math.min(current, at);
    }
  }
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    walletStatus: statusOf(since.apple !== null, since.google !== null),
    appleWalletInstalledAt: iso(since.apple),
    googleWalletInstalledAt: iso(since.google),
    installed,
  };
}

/** The fields that express the status, and the per-pass flags read back from the sync state. */
function observed(next: CanonicalFields, passIds: string[]): Expected {
  const state = decodeSyncState(next.walletSyncState).state;
  const installed: Record<string, Record<Wallet, boolean>> = {};
  for (const passId of passIds) {
    const p = Object.prototype.hasOwnProperty.call(state.passes, passId) ? state.passes[passId] : undefined;
    installed[passId] = {
      apple: !!(p && p.apple && p.apple.installed),
      google: !!(p && p.google && p.google.installed),
    };
  }
  return {
    walletStatus: next.walletStatus,
    appleWalletInstalledAt: next.appleWalletInstalledAt,
    googleWalletInstalledAt: next.googleWalletInstalledAt,
    installed,
  };
}

function customersOf(events: TrueEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) if (out.indexOf(e.customer) < 0) out.push(e.customer);
  return out;
}

function passIdsOf(events: TrueEvent[], customer: string): string[] {
  const out: string[] = [];
  for (const e of events) if (e.customer === customer && out.indexOf(e.passId) < 0) out.push(e.passId);
  return out;
}

function oneAtATime(log: WalletEvent[], options: ReduceOptions, start: CanonicalFields | null = null) {
  let current = start;
  const results = log.map((e) => {
    const r = reduce(current, [e], options);
    current = r.next;
    return r;
  });
  return { next: current, results };
}

/** The same list in another order (the reducer must sort by itself). */
function permute<T>(items: T[], keys: number[]): T[] {
  return items
    .map((item, i) => ({ item, k: keys[i % Math.max(keys.length, 1)] ?? 0, i }))
    .sort((a, b) => a.k - b.k || b.i - a.i)
    .map((x) => x.item);
}

/** Each scope, read by the default (auto) and by the setting that names it. */
const readingArb = fc.constantFrom<[Scope, RegistrationCountsReading]>(
  ['perWallet', 'auto'],
  ['perPass', 'auto'],
  ['perWallet', 'perWallet'],
  ['perPass', 'perPass'],
);

const scenarioArb = fc.record({
  customers: customersArb,
  step: stepArb,
  shuffle: fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 }),
  reading: readingArb,
});

describe('reducer properties', () => {
  it('converges to the true state, reducing all at once in any input order', () => {
    fc.assert(
      fc.property(scenarioArb, ({ customers, shuffle, step, reading }) => {
        const events = trueEvents(customers, reading[0]);
        const options = { registrationCounts: reading[1] };
        const delivered = deliveries(events, step);
        for (const customer of customersOf(events)) {
          const mine = delivered.filter((d) => d.event.customer === customer);
          const r = reduce(
            null,
            permute(mine, shuffle).map((d) => d.wire),
            options,
          );
          expect(r.problems).toEqual([]);
          expect(observed(r.next, passIdsOf(events, customer))).toEqual(expected(customer, events, mine));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('converges to the true state, one event at a time, feeding next back as current', () => {
    fc.assert(
      fc.property(scenarioArb, ({ customers, step, reading }) => {
        const events = trueEvents(customers, reading[0]);
        const delivered = deliveries(events, step);
        for (const customer of customersOf(events)) {
          const mine = delivered.filter((d) => d.event.customer === customer);
          const { next } = oneAtATime(
            mine.map((d) => d.wire),
            { registrationCounts: reading[1] },
          );
          expect(observed(next as CanonicalFields, passIdsOf(events, customer))).toEqual(
            expected(customer, events, mine),
          );
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('reducing the log again changes nothing (from scratch and from a partial state)', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(60), ({ customers, shuffle, step, reading }, cut) => {
        const events = trueEvents(customers, reading[0]);
        const options = { registrationCounts: reading[1] };
        const delivered = deliveries(events, step);
        for (const customer of customersOf(events)) {
          const log = delivered.filter((d) => d.event.customer === customer).map((d) => d.wire);
          const partial = reduce(null, log.slice(0, cut), options).next;
          for (const start of [null, partial]) {
            const once = reduce(start, log, options);
            const twice = reduce(once.next, permute(log, shuffle), options);
            expect(twice.changed).toBe(false);
            expect(twice.applied).toBe(0);
            expect(twice.next).toEqual(once.next);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps Apple and Google independent', () => {
    fc.assert(
      fc.property(scenarioArb, ({ customers, step, reading }) => {
        const events = trueEvents(customers, reading[0]);
        const options = { registrationCounts: reading[1] };
        const delivered = deliveries(events, step);
        for (const customer of customersOf(events)) {
          const log = delivered.filter((d) => d.event.customer === customer).map((d) => d.wire);
          const both = reduce(null, log, options).next;
          const apple = reduce(
            null,
            log.filter((e) => e.wallet === 'apple'),
            options,
          ).next;
          const google = reduce(
            null,
            log.filter((e) => e.wallet === 'google'),
            options,
          ).next;
          const on = (s: WalletStatus, w: Wallet) => s === w || s === 'both';
          expect(on(both.walletStatus, 'apple')).toBe(on(apple.walletStatus, 'apple'));
          expect(on(both.walletStatus, 'google')).toBe(on(google.walletStatus, 'google'));
          expect(both.appleWalletInstalledAt).toBe(apple.appleWalletInstalledAt);
          expect(both.googleWalletInstalledAt).toBe(google.googleWalletInstalledAt);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('writes only for real changes: duplicates cost nothing, status and last-change follow the truth', () => {
    fc.assert(
      fc.property(scenarioArb, ({ customers, step, reading }) => {
        const [scope, registrationCounts] = reading;
        const events = trueEvents(customers, scope);
        // Distinct receipt times, so that every change can move walletLastChangedAt.
        const delivered = deliveries(events, step === 0 ? 1 : step);
        for (const customer of customersOf(events)) {
          const mine = delivered.filter((d) => d.event.customer === customer);
          const { results } = oneAtATime(
            mine.map((d) => d.wire),
            { registrationCounts },
          );
          // Reference status after each delivery: the newest event seen per (pass, wallet) decides.
          const newest: Record<string, TrueEvent> = {};
          const seen: Record<number, boolean> = {};
          let previous: CanonicalFields | null = null;
          let pictureChanges = 0;
          let writes = 0;
          mine.forEach((d, i) => {
            const r = results[i]!;
            const slot = d.event.passId + '/' + d.event.wallet;
            const held = newest[slot];
            if (!held || held.id < d.event.id) newest[slot] = d.event;
            let apple = false;
            let google = false;
            for (const key of Object.keys(newest)) {
              const e = newest[key]!;
              if (e.active > 0 && e.wallet === 'apple') apple = true;
              if (e.active > 0 && e.wallet === 'google') google = true;
            }
            // Trusting counts of the wallet, the newest event seen says it at once; counting (auto,
            // perPass) may show a wallet off until an install delivered late arrives.
            if (registrationCounts === 'perWallet') expect(r.next.walletStatus).toBe(statusOf(apple, google));
            // A second delivery of a platform event never causes a write.
            if (seen[d.event.id]) expect(r.changed).toBe(false);
            seen[d.event.id] = true;
            const before: CanonicalFields = previous || {
              walletStatus: 'none',
              appleWalletInstalledAt: null,
              googleWalletInstalledAt: null,
              walletLastChangedAt: null,
              walletLastEvent: null,
              walletSyncState: '',
            };
            const pictureChanged =
              before.walletStatus !== r.next.walletStatus ||
              before.appleWalletInstalledAt !== r.next.appleWalletInstalledAt ||
              before.googleWalletInstalledAt !== r.next.googleWalletInstalledAt;
            const moved = before.walletLastChangedAt !== r.next.walletLastChangedAt;
            expect(moved).toBe(pictureChanged);
            if (moved) {
              expect(r.next.walletLastChangedAt).toBe(d.wire.receivedAt);
              expect(r.next.walletLastEvent).toBe(d.wire.kind);
              pictureChanges++;
            }
            if (pictureChanged) expect(r.changed).toBe(true);
            if (r.changed) writes++;
            previous = r.next;
          });
          // Every real change of the picture is one write; the other writes record a newer key (a
          // second device, say) that later late events must be judged against: at most one per event.
          expect(writes).toBeGreaterThanOrEqual(pictureChanges);
          expect(writes).toBeLessThanOrEqual(Object.keys(seen).length);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('without counts, delivered in order with repeated deliveries, follows the last event', () => {
    fc.assert(
      fc.property(scenarioArb, ({ customers, reading }) => {
        const events = trueEvents(customers, reading[0]);
        const options = { registrationCounts: reading[1] };
        // In order, each copy right after the previous one: receipt order is the true order.
        const copies: TrueEvent[] = [];
        for (const e of events) for (let i = 0; i < e.copies.length; i++) copies.push(e);
        const wire = copies.map((e, i) => {
          const w = wireEvent(e, BASE_MS + (i + 1) * STEP_MS_NO_COUNTS);
          w.registration = { active: null, total: null };
          w.orderKey = { kind: 'time', atMs: w.receivedAtMs };
          return w;
        });
        for (const customer of customersOf(events)) {
          const log = wire.filter((w) => w.joinKey === customer);
          const since: Record<Wallet, number | null> = { apple: null, google: null };
          for (const passId of passIdsOf(events, customer)) {
            for (const wallet of WALLETS) {
              const mine = log.filter((w) => w.passId === passId && w.wallet === wallet);
              let start: number | null = null;
              for (const w of mine) {
                if (w.kind === 'uninstalled') start = null;
                else if (start === null) start = w.receivedAtMs;
              }
              const held = since[wallet];
              if (start !== null) since[wallet] = held === null ? start : Math.min(held, start);
            }
          }
          const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
          for (const next of [
            reduce(null, log, options).next,
            oneAtATime(log, options).next as CanonicalFields,
          ]) {
            expect(next.walletStatus).toBe(statusOf(since.apple !== null, since.google !== null));
            expect(next.appleWalletInstalledAt).toBe(iso(since.apple));
            expect(next.googleWalletInstalledAt).toBe(iso(since.google));
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
