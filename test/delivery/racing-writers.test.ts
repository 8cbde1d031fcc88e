/**
 * Racing writers converge (issue #11): two connector runtimes that share nothing (two separately
 * created connectors, as two script instances of the platform) handle events of the same customer at
 * the same time against one CRM without conditional writes. The simulator forces the worst
 * interleaving without sleeping: it holds both reads until both arrived (both read the same old
 * record), then both writes until both arrived, and applies them one after the other, so the second
 * write overwrites the first. The first writer's read-back sees its events missing, merges and writes
 * again: the final record holds both.
 */
import { decodeSyncState } from '../../connector/domain/sync-state';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import type { RecordedRequest } from '../sim/types';
import type { SimGate } from '../sim/server';
import { httpTenant, startConnector } from '../support/pipeline';

const KEY = 'crm-secret-racing';
const T1 = Date.parse('2026-10-01T09:00:00.000Z');
const T2 = Date.parse('2026-10-01T09:00:05.000Z');

let crm: HttpCrmSimulator;
beforeEach(async () => {
  crm = await startHttpCrmSimulator({ apiKey: KEY });
});
afterEach(() => crm.server.close());

/**
 * Holds the first `count` requests that match until `count` of them arrived, then lets them through
 * in arrival order; later ones pass at once.
 */
function barrier(match: (r: RecordedRequest) => boolean, count: number): SimGate {
  const waiting: Array<() => void> = [];
  let held = 0;
  return (req) => {
    if (!match(req) || held >= count) return null;
    held++;
    const wait = new Promise<void>((resolve) => waiting.push(resolve));
    if (waiting.length === count) for (const release of waiting) release();
    return wait;
  };
}

function gates(...list: SimGate[]): SimGate {
  return (req) => {
    for (const gate of list) {
      const held = gate(req);
      if (held) return held;
    }
    return null;
  };
}

const counts = (active: number, total: number) => ({
  activeRegistrationCount: active,
  totalRegistrationCount: total,
});

/** An install of c-1's pass on a wallet, by a runtime whose clock says atMs. */
const install = (atMs: number, passId: string, wallet: string, active: number, total: number) => ({
  atMs,
  args: [passId, 'loyalty', { customerId: 'c-1' }, wallet, counts(active, total)],
});
const iso = (ms: number): string => new Date(ms).toISOString();

interface Case {
  name: string;
  /** The hook call of each runtime, and its clock. */
  a: { atMs: number; args: unknown[] };
  b: { atMs: number; args: unknown[] };
  expected: {
    walletStatus: string;
    appleWalletInstalledAt: string | null;
    googleWalletInstalledAt: string | null;
  };
  /** Distinct events the stored sync state must hold per pass and wallet. */
  seen: Record<string, { apple: number; google: number }>;
}

const cases: Case[] = [
  {
    name: 'two passes on two wallets: both wallets end installed',
    a: install(T1, 'p-1', 'apple', 1, 1),
    b: install(T2, 'p-2', 'google', 1, 1),
    expected: { walletStatus: 'both', appleWalletInstalledAt: iso(T1), googleWalletInstalledAt: iso(T2) },
    seen: { 'p-1': { apple: 1, google: 0 }, 'p-2': { apple: 0, google: 1 } },
  },
  {
    name: 'one pass on a phone and a watch: both registrations are counted',
    a: install(T1, 'p-1', 'apple', 1, 1),
    b: install(T2, 'p-1', 'apple', 2, 2),
    expected: { walletStatus: 'apple', appleWalletInstalledAt: iso(T1), googleWalletInstalledAt: null },
    seen: { 'p-1': { apple: 2, google: 0 } },
  },
];

function seenOf(
  record: Record<string, unknown> | undefined,
): Record<string, { apple: number; google: number }> {
  const { state, problem } = decodeSyncState(record ? record.walletSyncState : undefined);
  expect(problem).toBeNull();
  const out: Record<string, { apple: number; google: number }> = {};
  for (const id of Object.keys(state.passes)) {
    const p = state.passes[id]!;
    out[id] = { apple: p.apple ? p.apple.seen.length : 0, google: p.google ? p.google.seen.length : 0 };
  }
  return out;
}

/**
 * Two connectors that share nothing handle the case's two calls at once; the simulator holds both
 * reads until both arrived and both writes until both arrived, so the second write overwrites the first.
 */
async function race(c: Case, config: ReturnType<typeof httpTenant>): Promise<void> {
  const onRecord = (method: string) => (r: RecordedRequest) =>
    r.method === method && r.path === '/customers/c-1';
  crm.server.setGate(gates(barrier(onRecord('GET'), 2), barrier(onRecord('PUT'), 2)));
  const a = startConnector(config, { 'crm-key': KEY }, () => c.a.atMs);
  const b = startConnector(config, { 'crm-key': KEY }, () => c.b.atMs);
  try {
    await Promise.all([a.call('OnPassInstalled', c.a.args), b.call('OnPassInstalled', c.b.args)]);
  } finally {
    a.connector.stop();
    b.connector.stop();
  }
}

it.each(cases)('$name', async (c) => {
  await race(c, httpTenant(crm.server.url));
  const record = crm.records.get('c-1');
  expect({
    walletStatus: record?.walletStatus,
    appleWalletInstalledAt: record?.appleWalletInstalledAt,
    googleWalletInstalledAt: record?.googleWalletInstalledAt,
  }).toEqual(c.expected);
  expect(seenOf(record)).toEqual(c.seen);
  // Both read the empty record, both wrote (the second overwrote the first), both read back; the
  // overwritten one wrote again and read back once more.
  const methods = crm.server.requests.map((r) => r.method);
  expect(methods.filter((m) => m === 'PUT')).toHaveLength(3);
  expect(methods.filter((m) => m === 'GET')).toHaveLength(5);
  expect(methods.slice(0, 4)).toEqual(['GET', 'GET', 'PUT', 'PUT']);
});

it('a CRM that mangles the written sync state is not written again and again', async () => {
  // The read-back answers the record with its sync state cut short, as a too-short text field would.
  let gets = 0;
  crm.server.setGate((req) => {
    if (req.method !== 'GET' || ++gets !== 2) return null;
    const record = { ...crm.records.get('c-1') };
    record.walletSyncState = String(record.walletSyncState).slice(0, 20);
    return Promise.resolve({ status: 200, json: record });
  });
  const t = startConnector(httpTenant(crm.server.url), { 'crm-key': KEY }, () => T1);
  try {
    await t.call('OnPassInstalled', ['p-1', 'loyalty', { customerId: 'c-1' }, 'apple', counts(1, 1)]);
  } finally {
    t.connector.stop();
  }
  expect(crm.server.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
    'GET 404',
    'PUT 201',
    'GET 200',
  ]);
  expect(crm.records.get('c-1')?.walletStatus).toBe('apple');
  expect(t.logs.filter((l) => l.msg === 'written sync state read back unreadable')).toHaveLength(1);
});

describe('readBack: which writes are read back', () => {
  const call = (customerId: string) => ['p-1', 'loyalty', { customerId }, 'apple', counts(1, 1)];
  const requestsOf = (customerId: string) =>
    crm.server.requests.filter((r) => r.path === `/customers/${customerId}`).map((r) => r.method);

  it.each([
    // auto: the first call of an instance is read back; once the instance has served another call
    // the host keeps it, and its per-customer batches need no read-back.
    { readBack: 'auto', first: ['GET', 'PUT', 'GET'], second: ['GET', 'PUT'] },
    { readBack: 'always', first: ['GET', 'PUT', 'GET'], second: ['GET', 'PUT', 'GET'] },
    { readBack: 'never', first: ['GET', 'PUT'], second: ['GET', 'PUT'] },
  ])('$readBack', async ({ readBack, first, second }) => {
    const t = startConnector(httpTenant(crm.server.url, { readBack }), { 'crm-key': KEY }, () => T1);
    try {
      await t.call('OnPassInstalled', call('c-1'));
      await t.call('OnPassInstalled', call('c-2'));
    } finally {
      t.connector.stop();
    }
    expect(requestsOf('c-1')).toEqual(first);
    expect(requestsOf('c-2')).toEqual(second);
    expect(crm.records.get('c-2')?.walletStatus).toBe('apple');
  });

  it('never: the race loses the overwritten writer (what the read-back is for)', async () => {
    await race(cases[0] as Case, httpTenant(crm.server.url, { readBack: 'never' }));
    expect(crm.records.get('c-1')?.walletStatus).not.toBe('both');
  });
});
