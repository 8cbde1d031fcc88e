import { compareOrderKeys, eventKey } from '../../connector/domain/order-key';
import type { OrderKey, WalletEvent } from '../../connector/domain/types';

const counts = (total: number, active: number, atMs = 0): OrderKey => ({
  kind: 'counts',
  total,
  active,
  atMs,
});
const time = (atMs: number): OrderKey => ({ kind: 'time', atMs });

describe('compareOrderKeys', () => {
  const cases: [string, OrderKey, OrderKey, number][] = [
    ['an install raises the total', counts(1, 1), counts(2, 2), -1],
    ['an uninstall lowers active at the same total', counts(2, 2), counts(2, 1), -1],
    ['a higher total wins over a lower active', counts(2, 0), counts(3, 3), -1],
    ['counts win over receive times', counts(2, 1, 900), counts(1, 1, 100), 1],
    ['equal counts: a duplicate, whatever the times', counts(2, 1, 5), counts(2, 1, 9), 0],
    ['no counts: receive time', time(5), time(9), -1],
    ['counts on one side only: receive time', counts(9, 1, 5), time(4), 1],
    ['same time without counts: neither is newer', time(5), counts(1, 1, 5), 0],
  ];
  it.each(cases)('%s', (_name, a, b, sign) => {
    expect(Math.sign(compareOrderKeys(a, b))).toBe(sign);
    expect(Math.sign(compareOrderKeys(b, a))).toBe(-sign || 0);
  });
});

describe('eventKey', () => {
  const base = { receivedAtMs: 42 } as WalletEvent;
  it.each([
    ['valid counts', counts(3, 1, 7), counts(3, 1, 42)],
    ['a negative count is not trusted', counts(3, -1, 7), time(42)],
    ['a fractional count is not trusted', counts(1.5, 1, 7), time(42)],
    ['a time key is timed by the receipt', time(7), time(42)],
  ] as [string, OrderKey, OrderKey][])('%s', (_name, key, expected) => {
    expect(eventKey(Object.assign({}, base, { orderKey: key }))).toEqual(expected);
  });
});
