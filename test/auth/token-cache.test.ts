import { DEFAULT_LIFETIME_S, refreshAt } from '../../connector/auth/token-cache';

describe('refreshAt: expiry minus a margin', () => {
  it.each([
    [3600, 3600_000 - 60_000],
    [1800, 1800_000 - 60_000],
    [600, 600_000 - 60_000],
    [300, 300_000 - 30_000],
    [60, 60_000 - 6_000],
    [undefined, DEFAULT_LIFETIME_S * 1000 - 60_000],
  ])('expires_in %p -> refresh after %p ms', (expiresIn, expected) => {
    expect(refreshAt(1_000_000, expiresIn) - 1_000_000).toBe(expected);
  });
});
