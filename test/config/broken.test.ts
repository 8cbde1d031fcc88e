/**
 * One mistake a case, made on a valid tenant: each must give exactly one issue, at the exact path,
 * with a message and a fix that say what to do (Ajv's if/then and other mechanics never show).
 */
import { formatIssues } from '../../cli/config/issues';
import { auth, destination, issuesOf, validTenant, type Json } from './helpers';

interface Case {
  name: string;
  mutate: (config: Json) => void;
  path: string;
  message: string;
  fix: string;
}

const cases: Case[] = [
  {
    name: 'bearer without tokenSecret',
    mutate: (c) => delete auth(c).tokenSecret,
    path: 'destinations[0].auth.tokenSecret',
    message: 'required for scheme "bearer"',
    fix: 'add "tokenSecret": "<name of the secret holding the token>"',
  },
  {
    name: 'apiKey without header',
    mutate: (c) => (destination(c).auth = { scheme: 'apiKey', secret: 'crm-key' }),
    path: 'destinations[0].auth.header',
    message: 'required for scheme "apiKey"',
    fix: 'add "header": "X-API-KEY"',
  },
  {
    name: 'basic without passwordSecret',
    mutate: (c) => (destination(c).auth = { scheme: 'basic', usernameSecret: 'crm-user' }),
    path: 'destinations[0].auth.passwordSecret',
    message: 'required for scheme "basic"',
    fix: 'add "passwordSecret": "<name of the secret holding the password>"',
  },
  {
    name: 'oauth2 without grant',
    mutate: (c) =>
      (destination(c).auth = {
        scheme: 'oauth2',
        tokenUrl: 'https://login.example.com/token',
        clientIdSecret: 'id',
      }),
    path: 'destinations[0].auth.grant',
    message: 'required for scheme "oauth2"',
    fix: 'add "grant": one of "client_credentials", "refresh_token", "jwt_bearer"',
  },
  {
    name: 'client_credentials without clientSecretSecret',
    mutate: (c) =>
      (destination(c).auth = {
        scheme: 'oauth2',
        grant: 'client_credentials',
        tokenUrl: 'https://login.example.com/token',
        clientIdSecret: 'id',
      }),
    path: 'destinations[0].auth.clientSecretSecret',
    message: 'required for scheme "oauth2" with grant "client_credentials"',
    fix: 'add "clientSecretSecret": "<name of the secret holding the client secret>"',
  },
  {
    name: 'refresh_token without refreshTokenSecret',
    mutate: (c) =>
      (destination(c).auth = {
        scheme: 'oauth2',
        grant: 'refresh_token',
        tokenUrl: 'https://login.example.com/token',
        clientIdSecret: 'id',
        clientSecretSecret: 'secret',
      }),
    path: 'destinations[0].auth.refreshTokenSecret',
    message: 'required for scheme "oauth2" with grant "refresh_token"',
    fix: 'add "refreshTokenSecret": "<name of the secret holding the refresh token>"',
  },
  {
    name: 'jwt_bearer without subject',
    mutate: (c) =>
      (destination(c).auth = {
        scheme: 'oauth2',
        grant: 'jwt_bearer',
        tokenUrl: 'https://login.example.com/token',
        clientIdSecret: 'id',
        privateKeySecret: 'sf-key',
        audience: 'https://login.salesforce.com',
      }),
    path: 'destinations[0].auth.subject',
    message: 'required for scheme "oauth2" with grant "jwt_bearer"',
    fix: 'add "subject": "integration@example.com"',
  },
  {
    name: 'auth without scheme (no per-scheme guesses on top)',
    mutate: (c) => (destination(c).auth = { tokenSecret: 'crm-token' }),
    path: 'destinations[0].auth.scheme',
    message: 'required',
    fix: 'add "scheme": one of "apiKey", "bearer", "basic", "oauth2"',
  },
  {
    name: 'scheme typo',
    mutate: (c) => (auth(c).scheme = 'Bearer'),
    path: 'destinations[0].auth.scheme',
    message: '"Bearer" is not allowed; allowed values: "apiKey", "bearer", "basic", "oauth2"',
    fix: 'use "bearer"',
  },
  {
    name: 'secret key of another scheme',
    mutate: (c) => (destination(c).auth = { scheme: 'bearer', secret: 'crm-token' }),
    path: 'destinations[0].auth.secret',
    message: 'is not read by scheme "bearer", which takes its secret name from "tokenSecret"',
    fix: 'rename "secret" to "tokenSecret"',
  },
  {
    name: 'key of another grant',
    mutate: (c) =>
      (destination(c).auth = {
        scheme: 'oauth2',
        grant: 'client_credentials',
        tokenUrl: 'https://login.example.com/token',
        clientIdSecret: 'id',
        clientSecretSecret: 'secret',
        subject: 'me@example.com',
      }),
    path: 'destinations[0].auth.subject',
    message:
      'is not read by scheme "oauth2" with grant "client_credentials" (only by scheme "oauth2" with grant "jwt_bearer")',
    fix: 'remove "subject", or set the scheme it belongs to',
  },
  {
    name: 'unknown key typo in auth',
    mutate: (c) => {
      delete auth(c).tokenSecret;
      auth(c).tokenSecrt = 'crm-token';
    },
    path: 'destinations[0].auth.tokenSecrt',
    message: 'unknown key "tokenSecrt" (allowed: scheme, header, prefix, secret, tokenSecret,',
    fix: 'did you mean "tokenSecret"? rename the key',
  },
  {
    name: 'auth key beside auth instead of inside',
    mutate: (c) => (destination(c).clientIdSecret = 'crm-client'),
    path: 'destinations[0].clientIdSecret',
    message: 'unknown key "clientIdSecret"',
    fix: 'move it into "auth"',
  },
  {
    name: 'unknown top-level key',
    mutate: (c) => (c.logLvl = 'debug'),
    path: 'logLvl',
    message:
      'unknown key "logLvl" (allowed: tenantId, environment, joinKey, logLevel, registrationCounts, platform, destinations)',
    fix: 'did you mean "logLevel"? rename the key',
  },
  {
    name: 'missing tenantId',
    mutate: (c) => delete c.tenantId,
    path: 'tenantId',
    message: 'required',
    fix: 'add "tenantId": "acme"',
  },
  {
    name: 'tenantId with a space',
    mutate: (c) => (c.tenantId = 'acme corp'),
    path: 'tenantId',
    message: 'must be 1 to 63 letters, digits, "_" or "-", starting with a letter or digit',
    fix: 'e.g. "tenantId": "acme"',
  },
  {
    name: 'destination type typo',
    mutate: (c) => (destination(c).type = 'hubsopt'),
    path: 'destinations[0].type',
    message:
      '"hubsopt" is not allowed; allowed values: "hubspot", "salesforce", "braze", "klaviyo", "dynamics", "http"',
    fix: 'use "hubspot"',
  },
  {
    name: 'http without path',
    mutate: (c) => delete destination(c).path,
    path: 'destinations[0].path',
    message: 'required for type "http"',
    fix: 'add "path": "/customers/{joinKey}"',
  },
  {
    name: 'hubspot without idProperty',
    mutate: (c) => {
      destination(c).type = 'hubspot';
      delete destination(c).path;
    },
    path: 'destinations[0].idProperty',
    message: 'required for type "hubspot"',
    fix: 'add "idProperty": "customer_id"',
  },
  {
    name: 'salesforce without externalIdField',
    mutate: (c) => {
      destination(c).type = 'salesforce';
      delete destination(c).path;
      destination(c).auth = {
        scheme: 'oauth2',
        grant: 'jwt_bearer',
        tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
        clientIdSecret: 'sf-client-id',
        privateKeySecret: 'sf-jwt-key',
        subject: 'integration@acme.example',
        audience: 'https://login.salesforce.com',
      };
    },
    path: 'destinations[0].externalIdField',
    message: 'required for type "salesforce"',
    fix: 'add "externalIdField": "Customer_Id__c"',
  },
  {
    name: 'baseUrl without scheme',
    mutate: (c) => (destination(c).baseUrl = 'crm.example.com'),
    path: 'destinations[0].baseUrl',
    message: 'must start with http:// or https://',
    fix: 'e.g. "baseUrl": "https://api.example.com"',
  },
  {
    name: 'timeoutMs as a string',
    mutate: (c) => (destination(c).timeoutMs = '5000'),
    path: 'destinations[0].timeoutMs',
    message: 'must be integer, not string',
    fix: 'e.g. "timeoutMs": 10000',
  },
  {
    name: 'maxAttempts out of range',
    mutate: (c) => (destination(c).retry = { maxAttempts: 100 }),
    path: 'destinations[0].retry.maxAttempts',
    message: 'must be at most 50, not 100',
    fix: 'use a value from 1 to 50',
  },
  {
    name: 'unknown device',
    mutate: (c) => (destination(c).route = { devices: ['apple', 'samsung'] }),
    path: 'destinations[0].route.devices[1]',
    message: '"samsung" is not allowed; allowed values: "apple", "google"',
    fix: 'use one of "apple", "google"',
  },
  {
    name: 'no identifiers',
    mutate: (c) => (c.joinKey = { identifiers: [] }),
    path: 'joinKey.identifiers',
    message: 'must have at least 1 item(s)',
    fix: 'e.g. "identifiers": ["customerId"]',
  },
  {
    name: 'repeated identifier',
    mutate: (c) => (c.joinKey = { identifiers: ['customerId', 'email', 'customerId'] }),
    path: 'joinKey.identifiers[0]',
    message: 'repeats joinKey.identifiers[2]',
    fix: 'remove one of the two',
  },
  {
    name: 'identifier with spaces',
    mutate: (c) => (c.joinKey = { identifiers: ['customer Id'] }),
    path: 'joinKey.identifiers[0]',
    message: 'identifier "customer Id" contains spaces or control characters',
    fix: 'use the identifier key exactly as the pass has it, e.g. "customerId"',
  },
  {
    name: 'identifier __proto__',
    mutate: (c) => (c.joinKey = { identifiers: ['__proto__'] }),
    path: 'joinKey.identifiers[0]',
    message: '"__proto__" is not a usable identifier key',
    fix: 'use a real pass identifier key, e.g. "customerId"',
  },
  {
    name: 'duplicate destination id',
    mutate: (c) => (c.destinations as Json[]).push({ ...destination(c) }),
    path: 'destinations[1].id',
    message: 'duplicate id "crm-main" (also destinations[0].id)',
    fix: 'give each destination its own id, e.g. "crm-main-2"',
  },
  {
    name: 'unknown path placeholder',
    mutate: (c) => (destination(c).path = '/customers/{joinkey}'),
    path: 'destinations[0].path',
    message:
      'placeholder {joinkey} is unknown; allowed: {joinKey}, {passId}, {passType}, {wallet}, {tenantId}',
    fix: 'use {joinKey}',
  },
  {
    name: 'json-e style placeholder in path',
    mutate: (c) => (destination(c).path = '/customers/${joinKey}'),
    path: 'destinations[0].path',
    message: 'uses ${...}; path placeholders are written {name}',
    fix: 'write e.g. "/customers/{joinKey}"',
  },
  {
    name: 'event-only placeholder in readPath',
    mutate: (c) => (destination(c).readPath = '/passes/{passId}'),
    path: 'destinations[0].readPath',
    message:
      'placeholder {passId} has no value in a read (one customer, not one event); allowed: {joinKey}, {tenantId}',
    fix: 'use {joinKey} for the customer (the value of the first present joinKey.identifiers key)',
  },
  {
    name: 'event-only placeholder in a path that readModifyWrite also reads',
    mutate: (c) => (destination(c).path = '/customers/{joinKey}/wallets/{wallet}'),
    path: 'destinations[0].path',
    message:
      'uses {wallet}, but readModifyWrite also reads with this path, where only {joinKey} and {tenantId} have a value',
    fix: 'add "readPath": "/customers/{joinKey}" or set "mode": "writeOnly"',
  },
  {
    name: 'unmatched brace in path',
    mutate: (c) => (destination(c).path = '/customers/{joinKey'),
    path: 'destinations[0].path',
    message: 'has an unmatched "{" or "}"',
    fix: 'write placeholders as {name}, e.g. "/customers/{joinKey}"',
  },
  {
    name: 'invalid header name',
    mutate: (c) => (destination(c).headers = { 'X Source': 'wallet' }),
    path: 'destinations[0].headers["X Source"]',
    message: 'is not a valid HTTP header name',
    fix: 'use letters, digits and "-" only, e.g. "X-Source"',
  },
  {
    name: 'header repeated in another case',
    mutate: (c) => (destination(c).headers = { 'X-Source': 'a', 'x-source': 'b' }),
    path: 'destinations[0].headers["x-source"]',
    message: 'repeats header "X-Source" (header names ignore case)',
    fix: 'keep one of the two',
  },
  {
    name: 'invalid apiKey header name',
    mutate: (c) => (destination(c).auth = { scheme: 'apiKey', header: 'X API KEY', secret: 'crm-key' }),
    path: 'destinations[0].auth.header',
    message: 'is not a valid HTTP header name',
    fix: 'use letters, digits and "-" only, e.g. "X-API-KEY"',
  },
  {
    name: 'secret name with a slash',
    mutate: (c) => (auth(c).tokenSecret = 'crm/token'),
    path: 'destinations[0].auth.tokenSecret',
    message:
      'is not a secret name ("cr…" (9 chars)): use 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit',
    fix: 'write the name the secret is stored under, e.g. "tokenSecret": "<name of the secret holding the token>"',
  },
];

describe('a tenant file with one mistake', () => {
  test('the table is large enough to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  test.each(cases)('$name -> $path', ({ mutate, path, message, fix }) => {
    const config = validTenant();
    mutate(config);
    const issues = issuesOf(config);
    expect(issues).toEqual([{ path, message: expect.stringContaining(message), fix }]);
    expect(formatIssues(issues)).toBe(`${path}: ${issues[0]?.message} — ${fix}`);
  });
});

describe('a misspelt required key', () => {
  test.each([
    ['tenantID', 'tenantId', 'tenantID'],
    ['destinations[0].auth.tokensecret', 'tokenSecret', 'tokensecret'],
  ])('gives one issue at %s, not a second "required" one', (path, wanted, written) => {
    const config = validTenant();
    const owner = path.startsWith('destinations') ? auth(config) : config;
    owner[written] = owner[wanted];
    delete owner[wanted];
    expect(issuesOf(config)).toEqual([
      {
        path,
        message: expect.stringContaining(`unknown key "${written}"`),
        fix: `did you mean "${wanted}"? rename the key`,
      },
    ]);
  });
});
