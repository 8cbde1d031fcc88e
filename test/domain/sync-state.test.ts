import fc from 'fast-check';
import {
  boundSyncState,
  decodeSyncState,
  emptySyncState,
  encodeSyncState,
  MAX_SEEN_EVENTS,
  type PassWalletState,
  type SeenEvent,
  type SyncState,
} from '../../connector/domain/sync-state';

const RUNS = Number(process.env.SYNC_STATE_PROPERTY_RUNS || 500);

/** Installed by one install seen above the floor where the wallet had no registration. */
const installed = (atMs: number, total: number, active: number, sinceMs = atMs): PassWalletState => ({
  installed: true,
  sinceMs,
  atMs,
  floor: { total: total - 1, active: active - 1, atMs, net: 0, sinceMs: null },
  seen: [{ installed: true, total, active, atMs }],
});

function stateOf(passes: Record<string, { apple?: PassWalletState; google?: PassWalletState }>): SyncState {
  const s = emptySyncState();
  for (const id of Object.keys(passes)) s.passes[id] = passes[id]!;
  return s;
}

const timeArb = fc.integer({ min: 0, max: 4_000_000_000_000 });

/** Seen events in order key order (total up, active down), every one distinct. */
const seenArb: fc.Arbitrary<SeenEvent[]> = fc
  .array(fc.record({ installed: fc.boolean(), step: fc.nat(2), active: fc.nat(5), atMs: timeArb }), {
    maxLength: MAX_SEEN_EVENTS + 4,
  })
  .map((raw) => {
    const out: SeenEvent[] = [];
    let total = 1001;
    let active = 6;
    for (const r of raw) {
      // A higher total, or the same total with fewer active registrations.
      if (r.step > 0 || active === 0) {
        total += 1 + r.step;
        active = r.active;
      } else active = Math.min(active - 1, r.active);
      out.push({ installed: r.installed, total, active, atMs: r.atMs });
    }
    return out;
  });

const walletArb: fc.Arbitrary<PassWalletState> = fc
  .record({
    floor: fc.option(
      fc.record({
        counts: fc.option(fc.tuple(fc.nat(1000), fc.nat(5))),
        atMs: timeArb,
        net: fc.integer({ min: -3, max: 3 }),
        sinceMs: timeArb,
      }),
    ),
    seen: seenArb,
    on: fc.boolean(),
    atMs: timeArb,
    sinceMs: timeArb,
  })
  .filter((r) => r.floor !== null || r.seen.length > 0)
  .map((r) => ({
    installed: r.on,
    sinceMs: r.on ? r.sinceMs : null,
    atMs: r.atMs,
    floor: r.floor
      ? {
          total: r.floor.counts ? r.floor.counts[0] : null,
          active: r.floor.counts ? r.floor.counts[1] : null,
          atMs: r.floor.atMs,
          net: r.floor.net,
          sinceMs: r.floor.net > 0 ? r.floor.sinceMs : null,
        }
      : null,
    seen: r.seen,
  }));

const stateArb = fc
  .dictionary(
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.record({ apple: walletArb, google: walletArb }, { requiredKeys: [] }),
    { maxKeys: 14 },
  )
  .map((passes) => {
    const s = emptySyncState();
    for (const id of Object.keys(passes)) {
      const p = passes[id]!;
      if (p.apple || p.google) s.passes[id] = p;
    }
    return s;
  });

describe('sync state encoding', () => {
  it('encodes nothing as the empty string, and decodes absent values without a problem', () => {
    expect(encodeSyncState(emptySyncState())).toBe('');
    for (const absent of [undefined, null, ''])
      expect(decodeSyncState(absent)).toEqual({ state: emptySyncState(), problem: null });
  });

  it('is compact, versioned and sorted, so equal states give equal text', () => {
    const a = stateOf({ b: { google: installed(2000, 2, 1) }, a: { apple: installed(1000, 1, 1) } });
    const b = stateOf({ a: { apple: installed(1000, 1, 1) }, b: { google: installed(2000, 2, 1) } });
    expect(encodeSyncState(a)).toBe(
      'v2:[["a",[1,1000,1000,[0,0,1000,0,null],[[1,1,1,1000]]],0],' +
        '["b",0,[1,2000,2000,[1,0,2000,0,null],[[1,2,1,2000]]]]]',
    );
    expect(encodeSyncState(b)).toBe(encodeSyncState(a));
  });

  it('round-trips any state within its bounds (property)', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const text = encodeSyncState(state);
        expect(text.length).toBeLessThanOrEqual(2000);
        const back = decodeSyncState(text);
        expect(back.problem).toBeNull();
        expect(back.state).toEqual(boundSyncState(state));
        expect(encodeSyncState(back.state)).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on any value, and reports every non-absent value it cannot read (property)', () => {
    const anyValue = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.json().map((j) => 'v1:' + j),
      stateArb.map((s) => {
        const text = encodeSyncState(s);
        const i = Math.floor(text.length / 2);
        return text.slice(0, i) + text.slice(i + 1);
      }),
    );
    fc.assert(
      fc.property(anyValue, (value) => {
        const r = decodeSyncState(value);
        expect(r.state).toBeDefined();
        if (r.problem !== null) {
          expect(Object.keys(r.state.passes)).toEqual([]);
          expect(r.problem.length).toBeLessThan(120);
        }
      }),
      { numRuns: RUNS },
    );
  });

  const corrupt: [string, unknown, RegExp][] = [
    ['a number', 7, /not a string/],
    ['another version', 'v3:[]', /unknown version "v3:\[\]"/],
    ['no version', '[["p",0,0]]', /unknown version/],
    ['broken JSON', 'v1:[[', /not JSON/],
    ['an object', 'v1:{}', /not an array/],
    ['a short pass row', 'v1:[["p",0]]', /pass 0 is not a 3-item array/],
    ['an empty id', 'v1:[["",0,0]]', /pass 0 has no id/],
    ['a repeated id', 'v1:[["p",0,0],["p",0,0]]', /repeats an id/],
    ['a short wallet tuple', 'v1:[["p",[1,1,1],0]]', /apple: a wallet entry is not a 7-item array/],
    ['one count only', 'v1:[["p",[1,1,null,5,5,null,0],0]]', /counts/],
    ['a negative count', 'v1:[["p",0,[1,-1,1,5,5,null,0]]]', /google: counts/],
    ['a time out of range', 'v1:[["p",[0,null,null,1e300,null,null,0],0]]', /atMs/],
    ['installed without a start', 'v1:[["p",[1,1,1,5,null,1,1],0]]', /sinceMs/],
    ['flag against counts', 'v1:[["p",[1,1,0,5,5,1,1],0]]', /installed does not match/],
    ['a short v2 wallet tuple', 'v2:[["p",[1,5,5,0],0]]', /apple: a wallet entry is not a 5-item array/],
    ['neither floor nor events', 'v2:[["p",[0,null,5,0,[]],0]]', /neither floor nor seen/],
    ['a floor with one count', 'v2:[["p",[0,null,5,[1,null,5,0,null],[]],0]]', /floor counts/],
    ['a floor net that is not an integer', 'v2:[["p",[0,null,5,[1,0,5,0.5,null],[]],0]]', /floor net/],
    ['a start without registrations', 'v2:[["p",[0,null,5,[1,0,5,0,7],[]],0]]', /floor sinceMs/],
    [
      'a seen event without counts',
      'v2:[["p",0,[1,5,5,0,[[1,null,1,5]]]]]',
      /google: a seen event has no counts/,
    ],
    ['seen events out of order', 'v2:[["p",[1,5,5,0,[[1,2,2,5],[1,1,1,5]]],0]]', /not in order/],
    ['a seen event below the floor', 'v2:[["p",[1,5,5,[3,0,5,0,null],[[1,2,1,5]]],0]]', /not in order/],
    ['installed without a start', 'v2:[["p",[1,null,5,0,[[1,1,1,5]]],0]]', /sinceMs does not match/],
  ];
  it.each(corrupt)('rejects %s as a whole', (_name, value, why) => {
    const r = decodeSyncState(value);
    expect(r.problem).toMatch(why);
    expect(r.state).toEqual(emptySyncState());
  });

  it('treats a pass called __proto__ as any other pass', () => {
    const s = emptySyncState();
    s.passes['__proto__'] = { apple: installed(5, 1, 1) };
    const back = decodeSyncState(encodeSyncState(s));
    expect(back.problem).toBeNull();
    expect(Object.keys(back.state.passes)).toEqual(['__proto__']);
  });
});

describe('sync state bounds', () => {
  const off = (atMs: number): PassWalletState => ({
    installed: false,
    sinceMs: null,
    atMs,
    floor: { total: 1, active: 0, atMs, net: 0, sinceMs: null },
    seen: [],
  });

  it('drops passes installed nowhere before installed ones, oldest first', () => {
    const s = stateOf({
      old: { apple: installed(1, 1, 1) },
      newOff: { apple: off(50) },
      oldOff: { google: off(10) },
      mid: { google: installed(20, 1, 1) },
    });
    expect(Object.keys(boundSyncState(s, { maxPasses: 3 }).passes).sort()).toEqual(['mid', 'newOff', 'old']);
    expect(Object.keys(boundSyncState(s, { maxPasses: 1 }).passes)).toEqual(['mid']);
  });

  it('drops passes until the text fits maxChars', () => {
    const passes: Record<string, { apple: PassWalletState }> = {};
    for (let i = 0; i < 10; i++) passes['pass-' + i + '-'.repeat(100)] = { apple: installed(i, 1, 1) };
    const text = encodeSyncState(stateOf(passes), { maxChars: 500 });
    expect(text.length).toBeLessThanOrEqual(500);
    expect(Object.keys(decodeSyncState(text).state.passes)).toHaveLength(3);
  });

  /** A wallet with two devices (phone kept, watch re-added n times): 2 + 2n events, none empty. */
  function churn(n: number): PassWalletState {
    const seen: SeenEvent[] = [{ installed: true, total: 1, active: 1, atMs: 100 }];
    for (let i = 0; i < n; i++) {
      seen.push({ installed: true, total: i + 2, active: 2, atMs: 200 + i });
      seen.push({ installed: false, total: i + 2, active: 1, atMs: 300 + i });
    }
    return {
      installed: true,
      sinceMs: 100,
      atMs: 300 + n,
      floor: { total: 0, active: 0, atMs: 100, net: 0, sinceMs: null },
      seen,
    };
  }

  /** The length the state would have unbounded. */
  const serializedLength = (state: SyncState) =>
    encodeSyncState(state, { maxChars: 1e9, maxPasses: 1e9 }).length;

  it('folds seen events into the floor before it drops a pass, keeping status and start', () => {
    const passes: Record<string, { apple: PassWalletState; google: PassWalletState }> = {};
    for (let i = 0; i < 8; i++) passes['pass-' + i] = { apple: churn(4), google: churn(4) };
    const full = stateOf(passes);
    const text = encodeSyncState(full);
    expect(text.length).toBeLessThanOrEqual(2000);
    const back = decodeSyncState(text).state;
    expect(serializedLength(full)).toBeGreaterThan(2000);
    expect(Object.keys(back.passes)).toHaveLength(8);
    for (const id of Object.keys(back.passes)) {
      const apple = back.passes[id]!.apple!;
      expect(apple.seen.length).toBeLessThan(9);
      expect([apple.installed, apple.sinceMs]).toEqual([true, 100]);
      // The folded floor carries the one registration left (the phone) and its start.
      expect(apple.floor).toMatchObject({ net: 1, sinceMs: 100 });
    }
  });
});

describe('sync state written by earlier versions (v1)', () => {
  it('reads an entry as a floor at its newest counts, with as many registrations as it had active', () => {
    const r = decodeSyncState(
      'v1:[["p",[1,3,2,50,40,2,1],[0,1,0,60,null,null,0]],["q",0,[1,null,null,70,70,null,1]]]',
    );
    expect(r.problem).toBeNull();
    expect(r.state.passes.p).toEqual({
      apple: {
        installed: true,
        sinceMs: 40,
        atMs: 50,
        floor: { total: 3, active: 2, atMs: 50, net: 2, sinceMs: 40 },
        seen: [],
      },
      google: {
        installed: false,
        sinceMs: null,
        atMs: 60,
        floor: { total: 1, active: 0, atMs: 60, net: 0, sinceMs: null },
        seen: [],
      },
    });
    expect(r.state.passes.q!.google!.floor).toEqual({
      total: null,
      active: null,
      atMs: 70,
      net: 1,
      sinceMs: 70,
    });
  });
});
