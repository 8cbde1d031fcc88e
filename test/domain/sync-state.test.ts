import fc from 'fast-check';
import {
  boundSyncState,
  decodeSyncState,
  emptySyncState,
  encodeSyncState,
  type PassWalletState,
  type SyncState,
} from '../../connector/domain/sync-state';

const RUNS = Number(process.env.SYNC_STATE_PROPERTY_RUNS || 500);

const installed = (atMs: number, total: number, active: number, sinceMs = atMs): PassWalletState => ({
  installed: true,
  total,
  active,
  atMs,
  sinceMs,
  startTotal: total,
  startSeen: true,
});

function stateOf(passes: Record<string, { apple?: PassWalletState; google?: PassWalletState }>): SyncState {
  const s = emptySyncState();
  for (const id of Object.keys(passes)) s.passes[id] = passes[id]!;
  return s;
}

const walletArb: fc.Arbitrary<PassWalletState> = fc
  .record({
    counts: fc.option(fc.tuple(fc.nat(1000), fc.nat(5))),
    noCountsInstalled: fc.boolean(),
    atMs: fc.integer({ min: 0, max: 4_000_000_000_000 }),
    sinceMs: fc.integer({ min: 0, max: 4_000_000_000_000 }),
    startTotal: fc.option(fc.nat(1000)),
    startSeen: fc.boolean(),
  })
  .map((r) => {
    const on = r.counts ? r.counts[1] > 0 : r.noCountsInstalled;
    return {
      installed: on,
      total: r.counts ? r.counts[0] : null,
      active: r.counts ? r.counts[1] : null,
      atMs: r.atMs,
      sinceMs: on ? r.sinceMs : null,
      startTotal: r.startTotal,
      startSeen: r.startSeen,
    };
  });

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
    expect(encodeSyncState(a)).toBe('v1:[["a",[1,1,1,1000,1000,1,1],0],["b",0,[1,2,1,2000,2000,2,1]]]');
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
    ['another version', 'v2:[]', /unknown version "v2:\[\]"/],
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
    total: 1,
    active: 0,
    atMs,
    sinceMs: null,
    startTotal: null,
    startSeen: false,
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
});
