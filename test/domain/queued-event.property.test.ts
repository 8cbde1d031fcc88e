/**
 * A queued call keeps its event in a slimmer form (connector/domain/queued-event.ts) and makes it
 * whole when its batch runs: what the batch gets must be the event `normalize` made, field by field
 * and in the same key order (a template or a JSON body sees both), for any hook call.
 */
import fc from 'fast-check';
import { normalize } from '../../connector/domain/normalize';
import { queuedEventOf, walletEventOf } from '../../connector/domain/queued-event';
import type { WalletEvent } from '../../connector/domain/types';

const AT = Date.UTC(2026, 10, 30, 8, 0, 0);

const countArb = fc.oneof(fc.constant(undefined), fc.nat(5), fc.constantFrom('2', '-1', 1.5, 'x'));
const textArb = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 12 }));

const callArb = fc.record({
  hook: fc.constantFrom('OnPassInstalled' as const, 'OnPassUninstalled' as const),
  passId: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ''),
  passType: fc.constantFrom('loyalty', 'coupon'),
  wallet: fc.constantFrom('apple', 'google'),
  // The join key as sent, padded, upper case, or a number; sometimes beside other identifiers.
  customerId: fc.oneof(
    fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== ''),
    fc.constantFrom(' c-1 ', 'C-1@EXAMPLE.COM', 42),
  ),
  email: fc.oneof(fc.constant(undefined), fc.constantFrom('a@example.com', ' B@Example.com ')),
  other: fc.oneof(fc.constant(undefined), fc.constantFrom(true, 7, 'x')),
  active: countArb,
  total: countArb,
  nested: fc.boolean(),
  source: fc.oneof(
    fc.constant(undefined),
    fc.record({
      origin: textArb,
      medium: textArb,
      tags: fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
    }),
    fc.constant({ origin: 'https://x.example/?utm_source=mail&utm_campaign=winter' }),
  ),
  msOffset: fc.integer({ min: -1e9, max: 1e9 }),
  joinKeyOrder: fc.constantFrom(['customerId', 'email'], ['email', 'customerId']),
  normalizeEmail: fc.boolean(),
});

type Call = typeof callArb extends fc.Arbitrary<infer T> ? T : never;

function eventOf(call: Call): WalletEvent | null {
  const identifiers: Record<string, unknown> = { customerId: call.customerId };
  if (call.email !== undefined) identifiers.email = call.email;
  if (call.other !== undefined) identifiers.other = call.other;
  const counts = { activeRegistrationCount: call.active, totalRegistrationCount: call.total };
  const additional: Record<string, unknown> = call.nested ? { registrationInformation: counts } : counts;
  if (call.source !== undefined) additional.registrationSource = call.source;
  const result = normalize({
    hook: call.hook,
    args: [call.passId, call.passType, identifiers, call.wallet, additional],
    receivedAtMs: AT + call.msOffset,
    joinKey: { identifiers: call.joinKeyOrder, normalizeEmail: call.normalizeEmail },
  });
  return result.ok ? result.event : null;
}

it('the event made again from its queued form is the event normalize made', () => {
  fc.assert(
    fc.property(callArb, (call) => {
      const event = eventOf(call);
      if (!event) return;
      const again = walletEventOf(queuedEventOf(event));
      expect(again).toEqual(event);
      expect(JSON.stringify(again)).toBe(JSON.stringify(event));
    }),
    { numRuns: 500 },
  );
});

it('keeps no identifiers when the join key is the only one and came unchanged, and keeps them otherwise', () => {
  const only = eventOf({
    hook: 'OnPassInstalled',
    passId: 'p-1',
    passType: 'loyalty',
    wallet: 'apple',
    customerId: 'c-1',
    email: undefined,
    other: undefined,
    active: 1,
    total: 1,
    nested: false,
    source: undefined,
    msOffset: 0,
    joinKeyOrder: ['customerId', 'email'],
    normalizeEmail: false,
  }) as WalletEvent;
  expect(queuedEventOf(only).identifiers).toBeNull();
  expect(walletEventOf(queuedEventOf(only)).identifiers).toEqual({ customerId: 'c-1' });

  const trimmed = eventOf({
    hook: 'OnPassUninstalled',
    passId: 'p-1',
    passType: 'loyalty',
    wallet: 'google',
    customerId: ' c-1 ',
    email: undefined,
    other: undefined,
    active: 0,
    total: 1,
    nested: true,
    source: undefined,
    msOffset: 0,
    joinKeyOrder: ['customerId', 'email'],
    normalizeEmail: false,
  }) as WalletEvent;
  expect(trimmed.joinKey).toBe('c-1');
  expect(queuedEventOf(trimmed).identifiers).toEqual({ customerId: ' c-1 ' });
  expect(walletEventOf(queuedEventOf(trimmed))).toEqual(trimmed);
});
