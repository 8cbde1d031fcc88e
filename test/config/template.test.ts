/** The json-e payload template is evaluated at validation time; its errors are configuration issues. */
import { validateTenantConfig } from '../../cli/config/validate';
import { destination, issuesOf, validTenant } from './helpers';

function withTemplate(template: unknown): ReturnType<typeof validTenant> {
  const config = validTenant();
  destination(config).template = template;
  return config;
}

describe('payload template', () => {
  test('a template using event, state, fields and tenantId renders', () => {
    const template = {
      customer: '${event.joinKey}',
      status: '${state.walletStatus}',
      crm: { $eval: 'fields' },
      tenant: '${tenantId}',
      wallet: { $if: 'event.wallet == "apple"', then: 'Apple Wallet', else: 'Google Wallet' },
      campaign: { $if: '"campaign" in event.source.utm', then: '${event.source.utm.campaign}' },
      count: { $eval: 'len(events)' },
    };
    expect(validateTenantConfig(withTemplate(template)).ok).toBe(true);
  });

  test.each([
    [
      'unknown context value',
      { data: { $eval: 'customer.id' } },
      'destinations[0].template.data',
      'json-e InterpreterError: unknown context value customer in "$eval: customer.id" (evaluated on an install on Apple Wallet)',
    ],
    [
      'unexpected input with a column',
      { status: '${state.walletStatus ? 1}' },
      'destinations[0].template.status',
      `json-e SyntaxError at column 20: Unexpected input for 'state.walletStatus ? 1}' at '? 1}' in "\${state.walletStatus ? 1}" (evaluated on an install on Apple Wallet)`,
    ],
    [
      'unterminated interpolation',
      { list: ['ok', '${event.passId'] },
      'destinations[0].template.list[1]',
      'json-e SyntaxError at the end of the expression: unterminated ${..} expression in "${event.passId" (evaluated on an install on Apple Wallet)',
    ],
    [
      'optional data accessed without a guard',
      { campaign: '${event.source.utm.campaign}' },
      'destinations[0].template.campaign',
      'json-e InterpreterError: object has no property "campaign" in "${event.source.utm.campaign}" (evaluated on an uninstall on Google Wallet with no registration counts or source)',
    ],
  ])('%s', (_name, template, path, message) => {
    expect(issuesOf(withTemplate(template))).toEqual([
      { path, message, fix: expect.stringContaining('{ event, events, state, fields, tenantId }') },
    ]);
  });

  test('a template that renders to a non-object is refused', () => {
    expect(issuesOf(withTemplate('${state.walletStatus}'))).toEqual([
      {
        path: 'destinations[0].template',
        message:
          'renders to string on an install on Apple Wallet; the payload must be a JSON object or array',
        fix: expect.stringContaining('make the template an object'),
      },
    ]);
  });

  test('the sample fields use the destination property names', () => {
    const config = withTemplate({ s: '${fields.wallet_status}' });
    destination(config).properties = { walletStatus: 'wallet_status' };
    expect(validateTenantConfig(config).ok).toBe(true);
  });
});
