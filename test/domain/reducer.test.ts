/** One table per rule of docs/architecture.md §6 as the reducer implements it. */
import { emptyFields, reduce, reduceToTruth } from '../../connector/domain/reducer';
import { decodeSyncState } from '../../connector/domain/sync-state';
import type { CanonicalFields, EventKind, Wallet, WalletEvent } from '../../connector/domain/types';

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

interface Spec {
  kind: EventKind;
  at: number;
  pass?: string;
  wallet?: Wallet;
  /** [total, active]; omitted: the platform sent no counts. */
  counts?: [number, number];
  /** An active count sent without a total. */
  activeOnly?: number;
}

function ev(s: Spec): WalletEvent {
  const atMs = T0 + s.at;
  const installed = s.kind === 'installed';
  const total = s.counts ? s.counts[0] : null;
  const active = s.counts ? s.counts[1] : s.activeOnly === undefined ? null : s.activeOnly;
  return {
    hook: installed ? 'OnPassInstalled' : 'OnPassUninstalled',
    name: installed ? 'Pass:Installed' : 'Pass:Uninstalled',
    kind: s.kind,
    passId: s.pass || 'p1',
    passType: 'loyalty',
    wallet: s.wallet || 'apple',
    identifiers: { customerId: 'c1' },
    joinKey: 'c1',
    joinKeyField: 'customerId',
    receivedAt: iso(atMs),
    receivedAtMs: atMs,
    registration: { total, active },
    orderKey: s.counts
      ? { kind: 'counts', total: s.counts[0], active: s.counts[1], atMs }
      : { kind: 'time', atMs },
    source: { tags: [], medium: null, origin: null, userAgent: null, utm: {} },
    idempotencyKey: [s.kind, s.pass || 'p1', s.wallet || 'apple', total, active].join('|'),
  };
}

const inst = (at: number, counts?: [number, number], more: Partial<Spec> = {}) =>
  ev(Object.assign({ kind: 'installed' as EventKind, at, counts }, more));
const uninst = (at: number, counts?: [number, number], more: Partial<Spec> = {}) =>
  ev(Object.assign({ kind: 'uninstalled' as EventKind, at, counts }, more));

/** Feeds the events one call at a time, as concurrent single deliveries would. */
function feed(events: WalletEvent[], start: CanonicalFields | null = null) {
  let current = start;
  const changed: boolean[] = [];
  for (const e of events) {
    const r = reduce(current, [e]);
    changed.push(r.changed);
    current = r.next;
  }
  return { next: current as CanonicalFields, changed };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  const out: T[][] = [];
  items.forEach((item, i) => {
    const rest = items.slice(0, i).concat(items.slice(i + 1));
    for (const p of permutations(rest)) out.push([item].concat(p));
  });
  return out;
}

/** Re-times a delivery order: the i-th delivery is received at i * stepMs (receipt follows delivery). */
function delivered(order: Spec[], stepMs: number): WalletEvent[] {
  return order.map((s, i) => ev(Object.assign({}, s, { at: (i + 1) * stepMs })));
}

describe('reduce: status per rule', () => {
  const cases: {
    name: string;
    events: WalletEvent[];
    status: CanonicalFields['walletStatus'];
    appleAt: number | null;
    googleAt?: number | null;
    last?: [number, EventKind] | null;
  }[] = [
    { name: 'first install', events: [inst(1, [1, 1])], status: 'apple', appleAt: 1, last: [1, 'installed'] },
    {
      name: 'duplicate install keeps the first start',
      events: [inst(1, [1, 1]), inst(5, [1, 1])],
      status: 'apple',
      appleAt: 1,
      last: [1, 'installed'],
    },
    {
      name: 'a late install after its uninstall is stale',
      events: [uninst(1, [1, 0]), inst(2, [1, 1])],
      status: 'none',
      appleAt: null,
      last: null,
    },
    {
      name: 'two devices: one uninstall leaves the pass installed',
      events: [inst(1, [1, 1]), inst(2, [2, 2]), uninst(3, [2, 1])],
      status: 'apple',
      appleAt: 1,
      last: [1, 'installed'],
    },
    {
      name: 'two devices: the second uninstall removes it',
      events: [inst(1, [1, 1]), inst(2, [2, 2]), uninst(3, [2, 1]), uninst(4, [2, 0])],
      status: 'none',
      appleAt: null,
      last: [4, 'uninstalled'],
    },
    {
      name: 'a reinstall begins a new stretch',
      events: [inst(1, [1, 1]), uninst(2, [1, 0]), inst(3, [2, 1])],
      status: 'apple',
      appleAt: 3,
      last: [3, 'installed'],
    },
    {
      name: "an old pass's uninstall after the new pass's install stays installed",
      events: [
        inst(1, [1, 1], { pass: 'old' }),
        inst(2, [1, 1], { pass: 'new' }),
        uninst(3, [1, 0], { pass: 'old' }),
      ],
      status: 'apple',
      appleAt: 2,
      last: [3, 'uninstalled'],
    },
    {
      name: 'the earliest current stretch among passes is the install time',
      events: [inst(1, [1, 1], { pass: 'a' }), inst(2, [1, 1], { pass: 'b' })],
      status: 'apple',
      appleAt: 1,
      last: [1, 'installed'],
    },
    {
      name: 'an Apple uninstall says nothing of Google',
      events: [inst(1, [1, 1]), inst(2, [1, 1], { wallet: 'google' }), uninst(3, [1, 0])],
      status: 'google',
      appleAt: null,
      googleAt: 2,
      last: [3, 'uninstalled'],
    },
    {
      name: 'Apple and Google installs received at the same instant: both',
      events: [inst(7, [1, 1], { wallet: 'google' }), inst(7, [1, 1])],
      status: 'both',
      appleAt: 7,
      googleAt: 7,
      last: [7, 'installed'],
    },
    {
      name: 'no counts: the install that turned it on is the start; repeats keep it',
      events: [inst(1), inst(2)],
      status: 'apple',
      appleAt: 1,
      last: [1, 'installed'],
    },
    {
      name: 'no counts: later receipt wins',
      events: [inst(1), uninst(2)],
      status: 'none',
      appleAt: null,
      last: [2, 'uninstalled'],
    },
    {
      name: 'no total but an active count: one device left keeps it installed',
      events: [inst(1), uninst(2, undefined, { activeOnly: 1 })],
      status: 'apple',
      appleAt: 1,
      last: [1, 'installed'],
    },
    {
      name: 'first sight mid-stretch, then its start arrives late: the start gives the time',
      events: [inst(1, [3, 2]), inst(2, [2, 1])],
      status: 'apple',
      appleAt: 2,
      last: [2, 'installed'],
    },
    {
      name: 'a late start of an older stretch does not move the time',
      events: [uninst(1, [1, 0]), inst(2, [2, 2]), inst(3, [1, 1])],
      status: 'apple',
      appleAt: 2,
      last: [2, 'installed'],
    },
  ];

  it.each(cases)('$name (all at once and one by one)', (c) => {
    for (const next of [reduce(null, c.events).next, feed(c.events).next]) {
      expect(next.walletStatus).toBe(c.status);
      expect(next.appleWalletInstalledAt).toBe(c.appleAt === null ? null : iso(T0 + c.appleAt));
      const googleAt = c.googleAt === undefined ? null : c.googleAt;
      expect(next.googleWalletInstalledAt).toBe(googleAt === null ? null : iso(T0 + googleAt));
    }
    if (c.last !== undefined) {
      const next = feed(c.events).next;
      expect(next.walletLastChangedAt).toBe(c.last === null ? null : iso(T0 + c.last[0]));
      expect(next.walletLastEvent).toBe(c.last === null ? null : c.last[1]);
    }
  });
});

describe('reduce: what the registration counts cover', () => {
  type Reading = 'auto' | 'perWallet' | 'perPass';
  const readings: Reading[] = ['auto', 'perWallet', 'perPass'];
  const statusUnder = (reading: Reading, events: WalletEvent[]) =>
    [reduce(null, events, { registrationCounts: reading }).next, feedAs(reading, events).next].map(
      (n) => n.walletStatus,
    );
  function feedAs(reading: Reading, events: WalletEvent[]) {
    let current: CanonicalFields | null = null;
    for (const e of events) current = reduce(current, [e], { registrationCounts: reading }).next;
    return { next: current as CanonicalFields };
  }

  // The case: counts of the whole pass; removed from Apple, still on Google (active 1).
  const perPassBothWallets = [inst(1, [1, 1]), inst(2, [2, 2], { wallet: 'google' }), uninst(3, [2, 1])];
  // Counts of the wallet: a phone and a watch on Apple, the watch removes the pass.
  const perWalletTwoDevices = [inst(1, [1, 1]), inst(2, [2, 2]), uninst(3, [2, 1])];

  it.each([
    ['auto', 'google', 'apple'],
    ['perPass', 'google', 'apple'],
    ['perWallet', 'both', 'apple'],
  ] as [Reading, string, string][])(
    '%s: a pass on both wallets removed from Apple -> %s; two Apple devices, one removed -> %s',
    (reading, bothWallets, twoDevices) => {
      for (const order of permutations(perPassBothWallets))
        expect(statusUnder(reading, order)).toEqual([bothWallets, bothWallets]);
      for (const order of permutations(perWalletTwoDevices))
        expect(statusUnder(reading, order)).toEqual([twoDevices, twoDevices]);
    },
  );

  it('the start of a wallet is the install that gave it its first registration, whatever the active count', () => {
    // Counts of the pass: Apple's first registration comes while Google holds one (active 2).
    const log = [inst(1, [1, 1], { wallet: 'google' }), inst(2, [2, 2]), inst(3, [3, 3])];
    for (const reading of readings) {
      const next = reduce(null, log.slice().reverse(), { registrationCounts: reading }).next;
      expect([reading, next.walletStatus, next.appleWalletInstalledAt]).toEqual([
        reading,
        'both',
        iso(T0 + 2),
      ]);
    }
  });

  it('a lost uninstall: perPass heals at the next point where the pass had none; auto at the backfill', () => {
    // Counts of the pass. Apple's uninstall (1, 0) is never delivered; Google's install has active 1,
    // so nothing was registered anywhere just before it.
    const log = [inst(1, [1, 1]), inst(2, [2, 1], { wallet: 'google' })];
    expect(statusUnder('perPass', log)).toEqual(['google', 'google']);
    expect(statusUnder('auto', log)).toEqual(['both', 'both']);
    const auto = reduce(null, log).next;
    const repaired = reduceToTruth(
      auto,
      { passes: [{ passId: 'p1', google: { installedAtMs: T0 + 2 } }] },
      T0 + 10,
    );
    expect(repaired.next.walletStatus).toBe('google');
  });

  it('a lost install: perWallet heals at the next event; auto at the next point with no registration', () => {
    // Counts of the wallet, phone and watch: the phone's install (1, 1) is never delivered.
    const log = [inst(2, [2, 2]), uninst(3, [2, 1])];
    expect(statusUnder('perWallet', log)).toEqual(['apple', 'apple']);
    expect(statusUnder('auto', log)).toEqual(['none', 'none']);
    const later = log.concat([inst(4, [3, 2]), uninst(5, [3, 1])]);
    expect(statusUnder('auto', later)).toEqual(['none', 'none']);
    // Both removed: no registration left (active 0), so every reading agrees again from here.
    const empty = later.concat([uninst(6, [3, 0]), inst(7, [4, 1])]);
    for (const reading of readings) expect(statusUnder(reading, empty)).toEqual(['apple', 'apple']);
  });

  it('keeps at most 8 events per wallet: older ones fold into the floor, the status and start stay', () => {
    // A watch that keeps the pass, a phone that adds and removes it again and again.
    const log = [inst(1, [1, 1])];
    for (let i = 0; i < 6; i++) log.push(inst(10 + i, [i + 2, 2]), uninst(20 + i, [i + 2, 1]));
    for (const reading of readings) {
      const r = reduce(null, log, { registrationCounts: reading });
      const apple = decodeSyncState(r.next.walletSyncState).state.passes.p1!.apple!;
      expect(apple.seen).toHaveLength(8);
      expect([r.next.walletStatus, r.next.appleWalletInstalledAt]).toEqual(['apple', iso(T0 + 1)]);
      // A folded event delivered again is a duplicate.
      expect(reduce(r.next, [inst(30, [2, 2])], { registrationCounts: reading }).changed).toBe(false);
    }
  });

  it('reads a v1 state as it was written (per wallet) and writes v2', () => {
    const v1: CanonicalFields = {
      walletStatus: 'apple',
      appleWalletInstalledAt: iso(T0 + 1),
      googleWalletInstalledAt: null,
      walletLastChangedAt: iso(T0 + 1),
      walletLastEvent: 'installed',
      walletSyncState: 'v1:[["p1",[1,2,2,' + (T0 + 2) + ',' + (T0 + 1) + ',1,1],0]]',
    };
    expect(reduce(v1, [inst(2, [2, 2])]).changed).toBe(false);
    const r = reduce(v1, [uninst(3, [2, 1])]);
    expect(r.problems).toEqual([]);
    expect(r.next.walletStatus).toBe('apple');
    expect(r.next.appleWalletInstalledAt).toBe(iso(T0 + 1));
    expect(r.next.walletSyncState.slice(0, 3)).toBe('v2:');
    expect(reduce(r.next, [uninst(4, [2, 0])]).next.walletStatus).toBe('none');
  });
});

describe('reduce: delivery order and duplicates', () => {
  it('install, uninstall, reinstall within one second, any delivery order: installed since the reinstall', () => {
    const truth: Spec[] = [
      { kind: 'installed', at: 0, counts: [1, 1] },
      { kind: 'uninstalled', at: 0, counts: [1, 0] },
      { kind: 'installed', at: 0, counts: [2, 1] },
    ];
    for (const order of permutations(truth)) {
      const log = delivered(order, 300);
      const reinstall = log[order.indexOf(truth[2]!)]!;
      for (const next of [reduce(null, log).next, reduce(null, log.slice().reverse()).next, feed(log).next]) {
        expect(next.walletStatus).toBe('apple');
        expect(next.appleWalletInstalledAt).toBe(reinstall.receivedAt);
      }
    }
  });

  it('a duplicated log costs one write per change, none per duplicate', () => {
    const log = [inst(1, [1, 1]), inst(2, [1, 1]), uninst(3, [1, 0]), uninst(4, [1, 0]), inst(5, [1, 1])];
    expect(feed(log).changed).toEqual([true, false, true, false, false]);
  });

  it('a second device is written (its key matters later) without moving the last change', () => {
    const first = reduce(null, [inst(1, [1, 1])]).next;
    const r = reduce(first, [inst(2, [2, 2])]);
    expect(r.changed).toBe(true);
    expect(r.next.walletSyncState).not.toBe(first.walletSyncState);
    expect(r.next.walletLastChangedAt).toBe(first.walletLastChangedAt);
    // Without that key the late uninstall of the first device would be read as the last one.
    expect(reduce(r.next, [uninst(3, [2, 1])]).next.walletStatus).toBe('apple');
  });

  it('a batch whose changes cancel out moves nothing but the sync state', () => {
    const r = reduce(null, [inst(1, [1, 1]), uninst(2, [1, 0])]);
    expect(r.next.walletStatus).toBe('none');
    expect(r.next.walletLastChangedAt).toBeNull();
    expect(r.applied).toBe(2);
  });

  it('sorts the batch itself and is idempotent', () => {
    const log = [uninst(3, [1, 0]), inst(1, [1, 1]), inst(4, [2, 1]), inst(2, [1, 1])];
    const once = reduce(null, log);
    expect(once.next.appleWalletInstalledAt).toBe(iso(T0 + 4));
    const again = reduce(once.next, log);
    expect(again).toEqual({ next: once.next, changed: false, applied: 0, appliedEvents: [], problems: [] });
  });

  it('no events, no change; null current compares as empty fields', () => {
    expect(reduce(null, [])).toEqual({
      next: emptyFields(),
      changed: false,
      applied: 0,
      appliedEvents: [],
      problems: [],
    });
  });

  it('keeps the record spelling of an unchanged instant', () => {
    const next = reduce(null, [inst(1000, [1, 1])]).next;
    const crm = Object.assign({}, next, { appleWalletInstalledAt: iso(T0 + 1000).replace('.000Z', 'Z') });
    const r = reduce(crm, [inst(2000, [2, 2])]);
    expect(r.next.appleWalletInstalledAt).toBe(crm.appleWalletInstalledAt);
  });

  it('skips malformed events and reports them', () => {
    const bad = Object.assign(inst(1, [1, 1]), { wallet: 'samsung' }) as unknown as WalletEvent;
    const noTime = Object.assign(inst(2, [1, 1]), { receivedAtMs: NaN });
    const r = reduce(null, [bad, noTime, inst(3, [1, 1])]);
    expect(r.applied).toBe(1);
    expect(r.problems).toEqual([
      'event 0 skipped: unknown wallet',
      'event 1 skipped: receivedAtMs is not a time',
    ]);
    expect(r.next.walletStatus).toBe('apple');
  });
});

describe('reduce: stored state', () => {
  const legacy: CanonicalFields = {
    walletStatus: 'apple',
    appleWalletInstalledAt: '2026-01-01T00:00:00.000Z',
    googleWalletInstalledAt: null,
    walletLastChangedAt: '2026-01-01T00:00:00.000Z',
    walletLastEvent: 'installed',
    walletSyncState: '',
  };
  const corrupt: { name: string; value: unknown }[] = [
    { name: 'unknown version', value: 'v9:[]' },
    { name: 'truncated JSON', value: 'v1:[["p1",[1,1,1,' },
    { name: 'hand-edited flag', value: 'v1:[["p1",[2,1,1,0,0,1,1],0]]' },
    { name: 'flag against counts', value: 'v1:[["p1",[0,1,1,0,null,null,0],0]]' },
    { name: 'not a string', value: 42 },
    { name: 'free text', value: 'installed on iPhone' },
  ];

  it.each(corrupt)('$name: treated as absent, reported, the record kept', ({ value }) => {
    const current = Object.assign({}, legacy, { walletSyncState: value }) as CanonicalFields;
    const idle = reduce(current, []);
    // A text value is left as it is; a value that is not even text is replaced by the empty state.
    const text = typeof value === 'string';
    expect(idle.changed).toBe(!text);
    expect(idle.next).toEqual(Object.assign({}, current, { walletSyncState: text ? value : '' }));
    expect(idle.problems).toHaveLength(1);
    expect(idle.problems[0]).toMatch(/^walletSyncState ignored: /);
    const r = reduce(current, [inst(1, [1, 1], { wallet: 'google' })]);
    expect(r.problems).toHaveLength(1);
    // Apple is unknown to the state: the record's Apple status stands; Google comes from the event.
    expect(r.next.walletStatus).toBe('both');
    expect(r.next.appleWalletInstalledAt).toBe(legacy.appleWalletInstalledAt);
    expect(decodeSyncState(r.next.walletSyncState).problem).toBeNull();
  });

  it('keeps at most maxPasses passes, installed ones first, and the status they show', () => {
    const log: WalletEvent[] = [];
    for (let i = 0; i < 12; i++) {
      log.push(inst(i * 10, [1, 1], { pass: 'p' + String(i).padStart(2, '0') }));
      if (i % 2 === 0) log.push(uninst(i * 10 + 1, [1, 0], { pass: 'p' + String(i).padStart(2, '0') }));
    }
    const r = reduce(null, log, { maxPasses: 8 });
    const passes = Object.keys(decodeSyncState(r.next.walletSyncState).state.passes).sort();
    // The six installed passes, then the two most recently seen of the uninstalled ones.
    expect(passes).toEqual(['p01', 'p03', 'p05', 'p07', 'p08', 'p09', 'p10', 'p11']);
    expect(r.next.walletStatus).toBe('apple');
    expect(r.next.appleWalletInstalledAt).toBe(iso(T0 + 10));
  });

  it('stays under 2,000 characters with long pass ids', () => {
    const log: WalletEvent[] = [];
    for (let i = 0; i < 10; i++)
      for (const wallet of ['apple', 'google'] as Wallet[])
        log.push(inst(i, [7, 3], { pass: 'pass-' + i + '-' + 'x'.repeat(150), wallet }));
    const r = reduce(null, log);
    expect(r.next.walletSyncState.length).toBeLessThanOrEqual(2000);
    expect(Object.keys(decodeSyncState(r.next.walletSyncState).state.passes).length).toBeGreaterThan(0);
    expect(r.next.walletStatus).toBe('both');
  });
});

describe('reduceToTruth: the Pass API backfill', () => {
  const NOW = 10_000;
  const at = (ms: number) => ({ installedAtMs: T0 + ms });

  it('installs what the truth says, at its time, and records the change at nowMs', () => {
    const r = reduceToTruth(null, { passes: [{ passId: 'p1', google: at(500) }] }, T0 + NOW);
    expect(r.next.walletStatus).toBe('google');
    expect(r.next.googleWalletInstalledAt).toBe(iso(T0 + 500));
    expect(r.next.walletLastChangedAt).toBe(iso(T0 + NOW));
    expect(r.next.walletLastEvent).toBe('installed');
    expect(r.changed).toBe(true);
  });

  it('a record that already agrees is not written again', () => {
    const first = reduceToTruth(null, { passes: [{ passId: 'p1', apple: at(500) }] }, T0 + NOW).next;
    const again = reduceToTruth(first, { passes: [{ passId: 'p1', apple: at(500) }] }, T0 + 2 * NOW);
    expect(again.changed).toBe(false);
    const fromEvents = reduce(null, [inst(500, [1, 1])]).next;
    expect(reduceToTruth(fromEvents, { passes: [{ passId: 'p1', apple: at(500) }] }, T0 + NOW).changed).toBe(
      false,
    );
  });

  it('overrides order keys: late events from before the snapshot cannot undo it, newer ones apply', () => {
    const events = reduce(null, [inst(1, [1, 1]), uninst(2, [1, 0])]).next;
    const fixed = reduceToTruth(events, { passes: [{ passId: 'p1', apple: at(3) }] }, T0 + NOW);
    expect(fixed.next.walletStatus).toBe('apple');
    expect(reduce(fixed.next, [uninst(NOW - 1, [1, 0])]).changed).toBe(false);
    expect(reduce(fixed.next, [uninst(NOW + 1, [5, 0])]).next.walletStatus).toBe('none');
  });

  it('a pass the truth does not list is uninstalled; a legacy record is replaced', () => {
    const events = reduce(null, [inst(1, [1, 1], { pass: 'gone' })]).next;
    const r = reduceToTruth(events, { passes: [] }, T0 + NOW);
    expect(r.next.walletStatus).toBe('none');
    expect(r.next.walletLastEvent).toBe('uninstalled');
    const legacy = Object.assign(emptyFields(), { walletStatus: 'both' as const });
    expect(reduceToTruth(legacy, { passes: [] }, T0 + NOW).next.walletStatus).toBe('none');
  });

  it('an entry newer than the snapshot wins over it', () => {
    const late = reduce(null, [uninst(NOW + 5, [2, 0])]).next;
    const r = reduceToTruth(late, { passes: [{ passId: 'p1', apple: at(1) }] }, T0 + NOW);
    expect(r.next.walletStatus).toBe('none');
    expect(r.changed).toBe(false);
  });

  it('malformed truth changes nothing and is reported', () => {
    const current = reduce(null, [inst(1, [1, 1])]).next;
    const bad = reduceToTruth(current, { passes: 'x' } as unknown as { passes: [] }, T0 + NOW);
    expect(bad).toEqual({
      next: current,
      changed: false,
      applied: 0,
      appliedEvents: [],
      problems: ['backfill truth ignored: passes is not an array'],
    });
    const badTime = reduceToTruth(
      current,
      { passes: [{ passId: 'p1', apple: { installedAtMs: NaN } }] },
      T0 + NOW,
    );
    expect(badTime.changed).toBe(false);
    expect(badTime.problems).toHaveLength(1);
    expect(reduceToTruth(current, { passes: [] }, NaN).changed).toBe(false);
  });
});

describe('appliedEvents: what event APIs may send', () => {
  it('lists only the events that changed the state: no duplicate, no stale event', () => {
    // Installed, then removed: the uninstall that left no registration is the floor of the tally.
    const first = reduce(null, [inst(0, [1, 1]), uninst(10, [1, 0])]);
    const second = inst(1000, [2, 1], { wallet: 'apple' });
    const duplicate = uninst(1500, [1, 0]);
    const stale = inst(1600, [1, 1]);
    const r = reduce(first.next, [duplicate, stale, second]);
    expect(r.appliedEvents).toEqual([second]);
    expect(r.applied).toBe(1);
  });

  it('lists both events of a real install then uninstall in one batch', () => {
    const a = inst(0, [1, 1]);
    const b = uninst(10, [1, 0]);
    expect(reduce(null, [b, a]).appliedEvents).toEqual([a, b]);
  });

  it('is empty for the Pass API backfill (a repair is not a wallet event)', () => {
    const r = reduceToTruth(null, { passes: [{ passId: 'p1', apple: { installedAtMs: T0 } }] }, T0 + 1000);
    expect(r.changed).toBe(true);
    expect(r.appliedEvents).toEqual([]);
  });
});

describe('a CRM that keeps coarser times (timePrecisionMs)', () => {
  // Dataverse keeps whole seconds: what it echoes is the install time without its milliseconds.
  const first = reduce(null, [inst(250, [1, 1])], { timePrecisionMs: 1000 });
  const stored: CanonicalFields = Object.assign({}, first.next, {
    appleWalletInstalledAt: iso(T0).replace('.000Z', 'Z'),
  });

  it('a redelivery onto the truncated time changes nothing at that precision', () => {
    const again = reduce(stored, [inst(250, [1, 1])], { timePrecisionMs: 1000 });
    expect(again.changed).toBe(false);
    expect(again.next.appleWalletInstalledAt).toBe(stored.appleWalletInstalledAt);
  });

  it('compared to the millisecond, the same redelivery rewrites the install time', () => {
    const again = reduce(stored, [inst(250, [1, 1])]);
    expect(again.changed).toBe(true);
    expect(again.next.appleWalletInstalledAt).toBe(iso(T0 + 250));
  });

  it('a time in another second is still a change', () => {
    const moved: CanonicalFields = Object.assign({}, stored, { appleWalletInstalledAt: iso(T0 - 1000) });
    const again = reduce(moved, [inst(250, [1, 1])], { timePrecisionMs: 1000 });
    expect(again.changed).toBe(true);
    expect(again.next.appleWalletInstalledAt).toBe(iso(T0 + 250));
  });
});
