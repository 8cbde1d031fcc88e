import { normalize } from '../../connector/domain/normalize';
import { MALFORMED_CALLS } from '../fixtures/malformed-calls';

const joinKey = { identifiers: ['customerId', 'email'], normalizeEmail: true };
const at = Date.parse('2026-11-27T10:00:00.000Z');
const good = [
  'p-1',
  'loyalty',
  { customerId: 'c-1' },
  'apple',
  { activeRegistrationCount: 1, totalRegistrationCount: 1 },
];

function run(args: unknown[], hook: 'OnPassInstalled' | 'OnPassUninstalled' = 'OnPassInstalled') {
  return normalize({ hook, args, receivedAtMs: at, joinKey });
}

describe('normalize: malformed hook calls are refused with a reason', () => {
  const cases = MALFORMED_CALLS;
  it.each(cases)('%s', (_name, args, reason) => {
    const result = run(args);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(reason);
      expect(typeof result.passId).toBe('string');
    }
  });
});

describe('normalize: the fifth argument is read defensively', () => {
  const cases: Array<[string, unknown, { active: number | null; total: number | null }]> = [
    ['flat counts', { activeRegistrationCount: 1, totalRegistrationCount: 2 }, { active: 1, total: 2 }],
    [
      'nested registrationInformation',
      { registrationInformation: { activeRegistrationCount: 0, totalRegistrationCount: 3 } },
      { active: 0, total: 3 },
    ],
    [
      'numeric strings',
      { activeRegistrationCount: '2', totalRegistrationCount: '2' },
      { active: 2, total: 2 },
    ],
    ['null', null, { active: null, total: null }],
    ['undefined', undefined, { active: null, total: null }],
    ['a string', 'oops', { active: null, total: null }],
    ['an array', [1, 2], { active: null, total: null }],
    ['a number', 5, { active: null, total: null }],
    [
      'negative counts',
      { activeRegistrationCount: -1, totalRegistrationCount: 2 },
      { active: null, total: 2 },
    ],
    [
      'fractional counts',
      { activeRegistrationCount: 1.5, totalRegistrationCount: 2 },
      { active: null, total: 2 },
    ],
    [
      'NaN and Infinity',
      { activeRegistrationCount: NaN, totalRegistrationCount: Infinity },
      { active: null, total: null },
    ],
    [
      'active above total',
      { activeRegistrationCount: 3, totalRegistrationCount: 2 },
      { active: null, total: null },
    ],
    [
      'registrationInformation wrong type',
      { registrationInformation: 'x', activeRegistrationCount: 1, totalRegistrationCount: 1 },
      { active: 1, total: 1 },
    ],
  ];
  it.each(cases)('%s', (_name, info, counts) => {
    const result = run(['p-1', 'loyalty', { customerId: 'c-1' }, 'google', info]);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.event.registration).toEqual(counts);
  });

  it('keeps the event but drops a wrong-shaped source', () => {
    const result = run([
      'p-1',
      'loyalty',
      { customerId: 'c-1' },
      'apple',
      { registrationSource: 'web', activeRegistrationCount: 1, totalRegistrationCount: 1 },
    ]);
    expect(result.ok && result.event.source).toEqual({
      tags: [],
      medium: null,
      origin: null,
      userAgent: null,
      utm: {},
    });
  });
});

describe('normalize: a good call becomes a full wallet event', () => {
  it('enriches name, kind, wallet, time, order key, source and UTM', () => {
    const result = run([
      'p-1',
      'loyalty',
      { customerId: 'C-1', email: 'x@y.z', nested: { no: 1 } },
      'apple',
      {
        activeRegistrationCount: 1,
        totalRegistrationCount: 1,
        registrationSource: {
          tags: ['web', 3, ''],
          medium: 'email',
          origin: 'https://b.example/w?utm_source=nl&utm_campaign=Winter%20Sale#x',
          userAgent: 'UA',
        },
      },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({
      hook: 'OnPassInstalled',
      name: 'Pass:Installed',
      kind: 'installed',
      passId: 'p-1',
      passType: 'loyalty',
      wallet: 'apple',
      identifiers: { customerId: 'C-1', email: 'x@y.z' },
      joinKey: 'c-1',
      joinKeyField: 'customerId',
      receivedAt: '2026-11-27T10:00:00.000Z',
      receivedAtMs: at,
      orderKey: { kind: 'counts', total: 1, active: 1, atMs: at },
      source: {
        tags: ['web'],
        medium: 'email',
        userAgent: 'UA',
        utm: { source: 'nl', campaign: 'Winter Sale' },
      },
    });
    expect(result.event.identifiers).not.toHaveProperty('nested');
  });

  it('uses the received time as order key without counts', () => {
    const result = run(['p-1', 'loyalty', { customerId: 'c' }, 'google', {}], 'OnPassUninstalled');
    expect(result.ok && result.event.orderKey).toEqual({ kind: 'time', atMs: at });
    expect(result.ok && result.event.name).toBe('Pass:Uninstalled');
  });

  it('gives duplicates the same idempotency key and different events different ones', () => {
    const key = (args: unknown[], hook: 'OnPassInstalled' | 'OnPassUninstalled' = 'OnPassInstalled') => {
      const r = normalize({ hook, args, receivedAtMs: at + Math.random() * 1000, joinKey });
      return r.ok ? r.event.idempotencyKey : null;
    };
    expect(key(good)).toBe(key(good));
    expect(key(good)).not.toBe(key(good, 'OnPassUninstalled'));
    expect(key(good)).not.toBe(key(['p-1', 'loyalty', { customerId: 'c-1' }, 'google', good[4]]));
    expect(key(good)).not.toBe(
      key([
        'p-1',
        'loyalty',
        { customerId: 'c-1' },
        'apple',
        { activeRegistrationCount: 1, totalRegistrationCount: 2 },
      ]),
    );
    expect(key(good)).toMatch(/^[0-9a-f]{16}$/);
  });
});
