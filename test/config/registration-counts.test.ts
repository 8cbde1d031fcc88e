/** The tenant's registrationCounts: one scope per platform, so one tenant-wide setting, default auto. */
import { validateTenantConfig } from '../../cli/config/validate';
import { issuesOf, validTenant } from './helpers';

describe('registrationCounts', () => {
  it('defaults to auto', () => {
    const result = validateTenantConfig(validTenant());
    expect(result.ok && result.config.registrationCounts).toBe('auto');
  });

  it.each(['auto', 'perWallet', 'perPass'])('accepts %s', (value) => {
    const result = validateTenantConfig({ ...validTenant(), registrationCounts: value });
    expect(result.ok && result.config.registrationCounts).toBe(value);
  });

  it('refuses another spelling with its path and the fix', () => {
    expect(issuesOf({ ...validTenant(), registrationCounts: 'perwallet' })).toEqual([
      {
        path: 'registrationCounts',
        message: '"perwallet" is not allowed; allowed values: "auto", "perWallet", "perPass"',
        fix: 'use "perWallet"',
      },
    ]);
  });

  it('is a tenant setting, not a destination one', () => {
    const config = validTenant();
    (config.destinations as Record<string, unknown>[])[0]!.registrationCounts = 'perPass';
    expect(issuesOf(config).map((i) => i.path)).toEqual(['destinations[0].registrationCounts']);
  });
});
