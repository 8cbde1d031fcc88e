/**
 * Secret VALUES are refused wherever they appear, and no issue ever repeats one: at most its first
 * four characters and its length. Fake credentials are assembled at run time from deterministic
 * noise, so none is written in the repository.
 */
import { formatIssues } from '../../cli/config/issues';
import { auth, BASE62, destination, HEX, issuesOf, noise, validTenant } from './helpers';

/** PEM armour, assembled so no credential-shaped literal is stored in the repository. */
const PEM_DASHES = '-'.repeat(5);

const uuid = (): string => {
  const h = noise(32, HEX, 3);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
};

const shapes: Array<[string, string, string]> = [
  [
    'HubSpot na1',
    `pat-na1-${noise(8, HEX)}-${noise(4, HEX)}-${noise(4, HEX)}-${noise(4, HEX)}-${noise(12, HEX)}`,
    'a HubSpot private app token',
  ],
  [
    'HubSpot eu1',
    `pat-eu1-${noise(8, HEX, 11)}-${noise(4, HEX)}-${noise(4, HEX)}-${noise(4, HEX)}-${noise(12, HEX)}`,
    'a HubSpot private app token',
  ],
  ['Klaviyo private key', `pk_${noise(34, HEX + 'abcdef', 5)}`, 'a Klaviyo private API key'],
  ['JWT', `eyJhbGciOiJSUzI1NiJ9.eyJ${noise(40, BASE62)}.${noise(43, BASE62, 9)}`, 'a JSON Web Token'],
  [
    'PEM key',
    `${PEM_DASHES}BEGIN PRIVATE KEY${PEM_DASHES}\nMII${noise(60, BASE62)}\n${PEM_DASHES}END PRIVATE KEY${PEM_DASHES}`,
    'a PEM key or certificate',
  ],
  ['Bearer value', `Bearer ${noise(40, BASE62, 13)}`, 'an Authorization header value with its credential'],
  [
    'Basic value',
    `Basic ${Buffer.from('user:pa55word').toString('base64')}`,
    'an Authorization header value with its credential',
  ],
  ['URL with password', 'https://svc:pa55word@crm.example.com/api', 'a URL with a password in it'],
  ['UUID-shaped key (Braze)', uuid(), 'a UUID-shaped API key'],
  ['long random base62', noise(40, BASE62, 17), 'a long random string (an API key or token)'],
  ['long random hex', noise(40, HEX, 19), 'a long random string (an API key or token)'],
  ['Stripe-style key', `sk_live_${noise(24, BASE62)}`, 'a Stripe-style secret key'],
  ['Slack token', `xoxb-${noise(12, '0123456789')}-${noise(24, BASE62)}`, 'a Slack token'],
  ['GitHub token', `ghp_${noise(36, BASE62)}`, 'a GitHub token'],
  ['AWS access key id', `AKIA${noise(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`, 'an AWS access key id'],
  ['Google API key', `AIza${noise(35, BASE62)}`, 'a Google API key'],
];

function expectNoLeak(value: string, output: string): void {
  expect(output).not.toContain(value);
  // Nor any long piece of it (a token is as good as leaked when 8 of its characters are shown).
  for (let i = 4; i + 8 <= value.length; i += 8) expect(output).not.toContain(value.slice(i, i + 8));
}

describe.each(shapes)('%s', (_name, value, kind) => {
  test('in a *Secret key: refused as a value, not a name, without echoing it', () => {
    const config = validTenant();
    auth(config).tokenSecret = value;
    const issues = issuesOf(config);
    expect(issues).toEqual([
      {
        path: 'destinations[0].auth.tokenSecret',
        message: `holds what looks like ${kind} ("${value.slice(0, Math.min(4, Math.floor(value.length / 4)))}…" (${value.length} chars)), not the NAME of a secret`,
        fix: expect.stringContaining('"tokenSecret": "<name of the secret holding the token>"'),
      },
    ]);
    expectNoLeak(value, formatIssues(issues));
  });

  test('in a header value: refused, pointing to auth', () => {
    const config = validTenant();
    destination(config).headers = { 'X-Trace': value };
    const issues = issuesOf(config);
    expect(issues).toEqual([
      {
        path: 'destinations[0].headers["X-Trace"]',
        message: expect.stringContaining(`holds what looks like ${kind}`),
        fix: expect.stringContaining('"auth"'),
      },
    ]);
    expectNoLeak(value, formatIssues(issues));
  });
});

// Public UUIDs (e.g. a Braze app_id) may be payload data; everywhere else they are a key shape.
describe.each(shapes.filter(([, , kind]) => kind !== 'a UUID-shaped API key'))(
  '%s anywhere else',
  (_name, value) => {
    test('(a payload template) is refused', () => {
      const config = validTenant();
      destination(config).template = { meta: { note: value }, status: '${state.walletStatus}' };
      const issues = issuesOf(config);
      expect(issues.map((i) => i.path)).toContain('destinations[0].template.meta.note');
      expectNoLeak(value, formatIssues(issues));
    });
  },
);

describe('credentials in headers', () => {
  test.each([
    [
      'Authorization',
      'Bearer abc',
      'remove this header and set "auth": { "scheme": "bearer", "tokenSecret": "<name of the secret holding the token>" }',
    ],
    [
      'authorization',
      'Basic dTpw',
      'remove this header and set "auth": { "scheme": "basic", "usernameSecret": "<name>", "passwordSecret": "<name>" }',
    ],
    [
      'X-API-KEY',
      'key-1234',
      'remove this header and set "auth": { "scheme": "apiKey", "header": "X-API-KEY", "secret": "<name of the secret holding the key>" }',
    ],
  ])('a literal %s header is refused with a fix pointing to auth', (name, value, fix) => {
    const config = validTenant();
    destination(config).headers = { [name]: value };
    const issues = issuesOf(config);
    expect(issues).toEqual([
      {
        path: `destinations[0].headers${/^[A-Za-z]+$/.test(name) ? `.${name}` : `["${name}"]`}`,
        message: expect.stringContaining('is a credential in plain text'),
        fix: `${fix}; then rotate that credential: it has been written to a file`,
      },
    ]);
    expect(formatIssues(issues)).not.toContain(value.slice(2));
  });
});

test('a secret pasted as an unknown key is not echoed by the unknown-key message', () => {
  const value = `pat-na1-${noise(36, HEX, 23)}`;
  const config = validTenant();
  auth(config)[value] = 'x';
  const output = formatIssues(issuesOf(config));
  expectNoLeak(value, output);
});

test('every *Secret key of platform is checked too', () => {
  const value = `pk_${noise(34, BASE62, 29)}`;
  const config = validTenant();
  config.platform = { apiKeySecret: 'twc-api-key', webhookSecret: value };
  const issues = issuesOf(config);
  expect(issues).toEqual([expect.objectContaining({ path: 'platform.webhookSecret' })]);
  expectNoLeak(value, formatIssues(issues));
});
