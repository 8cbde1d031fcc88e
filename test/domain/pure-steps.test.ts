import { resolveJoinKey } from '../../connector/domain/join-key';
import { parseUtm } from '../../connector/domain/utm';
import { routeMatches } from '../../connector/domain/route';
import { canonicalFromRecord, changedCrmFields } from '../../connector/domain/fields';
import { fillPath } from '../../connector/destinations/http/path';
import { normalize } from '../../connector/domain/normalize';
import type { CanonicalFields, WalletEvent } from '../../connector/domain/types';

describe('resolveJoinKey', () => {
  const cases: Array<[string, Record<string, string | number | boolean>, string[], boolean, string | null]> =
    [
      [
        'first configured present',
        { customerId: 'c-1', email: 'a@b.c' },
        ['customerId', 'email'],
        false,
        'c-1',
      ],
      ['falls back to the next', { email: 'a@b.c' }, ['customerId', 'email'], false, 'a@b.c'],
      ['normalizes email', { email: '  Jane@Example.COM ' }, ['email'], true, 'jane@example.com'],
      [
        'keeps case without normalizeEmail',
        { email: 'Jane@Example.COM' },
        ['email'],
        false,
        'Jane@Example.COM',
      ],
      ['numbers become text', { memberId: 42 }, ['memberId'], false, '42'],
      ['dotted keys are opaque', { 'y2.customerId': 'Y-9' }, ['y2.customerId'], false, 'Y-9'],
      ['skips blank values', { customerId: ' ', email: 'a@b.c' }, ['customerId', 'email'], false, 'a@b.c'],
      ['skips booleans', { customerId: true }, ['customerId'], false, null],
      ['none present', { storeId: 's' }, ['customerId'], false, null],
    ];
  it.each(cases)('%s', (_n, ids, fields, normalizeEmail, expected) => {
    const r = resolveJoinKey(ids, { identifiers: fields, normalizeEmail });
    expect(r.ok ? r.value : null).toBe(expected);
  });
});

describe('parseUtm', () => {
  const cases: Array<[string, object]> = [
    [
      'https://x.y/p?utm_source=a&utm_medium=b&utm_campaign=c&utm_term=d&utm_content=e',
      { source: 'a', medium: 'b', campaign: 'c', term: 'd', content: 'e' },
    ],
    ['https://x.y/p?UTM_SOURCE=Big+News', { source: 'Big News' }],
    ['https://x.y/p?utm_source=%E2%9C%93', { source: '✓' }],
    ['https://x.y/p?utm_source=%E0%A4%A', { source: '%E0%A4%A' }],
    ['https://x.y/p?utm_source=first&utm_source=second', { source: 'first' }],
    ['https://x.y/p#utm_source=hash', {}],
    ['https://x.y/p?a=1#utm_source=hash', {}],
    ['/relative?utm_medium=qr', { medium: 'qr' }],
    ['no query', {}],
    ['https://x.y/?utm_source=&utm_medium', {}],
  ];
  it.each(cases)('%s', (origin, utm) => expect(parseUtm(origin)).toEqual(utm));
});

describe('routeMatches', () => {
  const r = normalize({
    hook: 'OnPassUninstalled',
    args: ['p', 'loyalty', { customerId: 'c' }, 'google', {}],
    receivedAtMs: 0,
    joinKey: { identifiers: ['customerId'] },
  });
  const event = (r.ok ? r.event : null) as WalletEvent;
  const cases: Array<[string, object | undefined, boolean]> = [
    ['no rule', undefined, true],
    ['empty rule', {}, true],
    ['pass type listed', { passTypes: ['loyalty', 'offer'] }, true],
    ['pass type not listed', { passTypes: ['offer'] }, false],
    ['device listed', { devices: ['google'] }, true],
    ['device not listed', { devices: ['apple'] }, false],
    ['event listed', { events: ['uninstalled'] }, true],
    ['event not listed', { events: ['installed'] }, false],
    ['all must match', { passTypes: ['loyalty'], devices: ['apple'] }, false],
  ];
  it.each(cases)('%s', (_n, rule, expected) => expect(routeMatches(rule, event)).toBe(expected));
});

describe('canonical <-> CRM fields', () => {
  const names = {
    walletStatus: 'wallet_status',
    appleWalletInstalledAt: 'apple_at',
    googleWalletInstalledAt: 'google_at',
    walletLastChangedAt: 'changed_at',
    walletLastEvent: 'last_event',
    walletSyncState: 'sync',
  };
  it('reads tolerant values', () => {
    expect(
      canonicalFromRecord(
        {
          wallet_status: 'both',
          apple_at: '1764237600000',
          google_at: '2026-11-27T10:00:00Z',
          last_event: 'bogus',
          sync: '',
        },
        names,
      ),
    ).toEqual({
      walletStatus: 'both',
      appleWalletInstalledAt: '2025-11-27T10:00:00.000Z',
      googleWalletInstalledAt: '2026-11-27T10:00:00.000Z',
      walletLastChangedAt: null,
      walletLastEvent: null,
      walletSyncState: '',
    });
    expect(canonicalFromRecord({ wallet_status: 'sometimes' }, names)?.walletStatus).toBe('none');
    expect(canonicalFromRecord(null, names)).toBeNull();
  });
  it('lists only changed fields, clearing with null', () => {
    const a: CanonicalFields = {
      walletStatus: 'apple',
      appleWalletInstalledAt: 'T1',
      googleWalletInstalledAt: null,
      walletLastChangedAt: 'T1',
      walletLastEvent: 'installed',
      walletSyncState: 's1',
    };
    const b: CanonicalFields = {
      ...a,
      walletStatus: 'none',
      appleWalletInstalledAt: null,
      walletLastEvent: 'uninstalled',
      walletSyncState: 's2',
    };
    expect(changedCrmFields(a, b, names)).toEqual({
      wallet_status: 'none',
      apple_at: null,
      last_event: 'uninstalled',
      sync: 's2',
    });
    expect(Object.keys(changedCrmFields(null, b, names))).toHaveLength(6);
  });
});

describe('fillPath', () => {
  it('URL-encodes every value', () => {
    expect(fillPath('/customers/{joinKey}/passes/{passId}', { joinKey: 'a b/c?d', passId: 'p#1' })).toBe(
      '/customers/a%20b%2Fc%3Fd/passes/p%231',
    );
  });
  it('refuses a placeholder without a value', () => {
    expect(() => fillPath('/x/{passId}', { joinKey: 'k' })).toThrow(/uses \{passId\}/);
  });
});
