/**
 * A CRM that echoes the Authorization header in its error body (issue 13). The raw secrets are not
 * what it echoes: Basic's base64 and OAuth access tokens are derived by the connector, and must be
 * redacted wherever the echo travels: the log line, the hook's rejection, serve's answer.
 */
import { randomBytes } from 'node:crypto';
import { createConnector } from '../../connector/runtime';
import { destinationDefinitions } from '../../connector/destinations/registry';
import { createNodeHost } from '../../cli/node-host';
import { startWebhookServer } from '../../cli/serve/server';
import type { LogRecord } from '../../connector/platform/host';
import { startHttpCrmSimulator, type HttpCrmSimulator } from '../sim/http-crm';
import { startSimServer, type SimServer } from '../sim/server';
import type { SimRequest, SimResponse } from '../sim/types';
import { httpTenant, startConnector } from '../support/pipeline';
import { delivery, signedPost } from '../batch/webhook-sender';

// Credential-shaped values exist only at run time, never in the repository.
const fresh = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const USER = fresh('svc-');
const PASSWORD = fresh('pw-');
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
const ACCESS_TOKEN = fresh('at-');

const install = (c: string) =>
  [
    `p-${c}`,
    'loyalty',
    { customerId: c },
    'apple',
    { activeRegistrationCount: 1, totalRegistrationCount: 1 },
  ] as unknown[];

/** Refuses every request, quoting the Authorization header it received. */
const echo =
  (status: number) =>
  (req: SimRequest): SimResponse => ({
    status,
    json: { message: `refused; you sent Authorization: ${req.headers.authorization ?? '(none)'}` },
  });

const basicTenant = (url: string) =>
  httpTenant(url, {
    auth: { scheme: 'basic', usernameSecret: 'crm-user', passwordSecret: 'crm-password' },
    retry: { maxElapsedMs: 200, baseDelayMs: 5, maxDelayMs: 10 },
  });
const basicSecrets = { 'crm-user': USER, 'crm-password': PASSWORD };

let crm: HttpCrmSimulator;
let tokens: SimServer | undefined;
afterEach(async () => {
  await crm.server.close();
  if (tokens) await tokens.close();
  tokens = undefined;
});

function expectNoCredential(text: string, credentials: string[]): void {
  for (const value of credentials) expect(text).not.toContain(value);
}

describe('credentials a CRM echoes back', () => {
  it('Basic: the base64 is redacted from the logged refusal', async () => {
    crm = await startHttpCrmSimulator({ authorize: echo(400) });
    const t = startConnector(basicTenant(crm.server.url), basicSecrets);
    await t.call('OnPassInstalled', install('a'));
    // The CRM really did echo the credential: the assertion below is not vacuous.
    expect(crm.server.requests[0]!.headers.authorization).toBe(`Basic ${BASIC}`);
    const dropped = t.logs.filter((l) => l.msg === 'event dropped');
    expect(dropped).toHaveLength(1);
    expect(String(dropped[0]!.reason)).toContain('[redacted]');
    expectNoCredential(JSON.stringify(t.logs), [BASIC, USER, PASSWORD]);
  });

  it('Basic: a transient echo leaves no credential in the rejection the platform receives', async () => {
    crm = await startHttpCrmSimulator({ authorize: echo(503) });
    const t = startConnector(basicTenant(crm.server.url), basicSecrets);
    const error = await t.call('OnPassInstalled', install('a')).then(
      () => new Error('expected a rejection'),
      (e: Error) => e,
    );
    expect(error).toMatchObject({ kind: 'transient', status: 503 });
    expectNoCredential(`${error.message} ${JSON.stringify(error)}`, [BASIC]);
    expectNoCredential(JSON.stringify(t.logs), [BASIC]);
  });

  it("Basic: serve's answer names the refusal without the credential", async () => {
    crm = await startHttpCrmSimulator({ authorize: echo(400) });
    const logs: LogRecord[] = [];
    const host = createNodeHost({ secrets: basicSecrets, log: (r) => logs.push(r) });
    const connector = createConnector({
      config: basicTenant(crm.server.url),
      host,
      definitions: destinationDefinitions,
      random: () => 0.5,
    });
    const webhookSecret = fresh('whsec-');
    const server = await startWebhookServer({ connector, secret: webhookSecret });
    try {
      const body = delivery('Pass:Installed', {
        passId: 'p-a',
        passType: 'loyalty',
        identifiers: { customerId: 'a' },
        device: 'apple',
        activeRegistrationCount: 1,
        totalRegistrationCount: 1,
      });
      const answer = await signedPost(server.url, body, webhookSecret);
      expect(answer.status).toBe(200);
      expect(String(answer.json.note)).toContain('[redacted]');
      expectNoCredential(JSON.stringify(answer.json), [BASIC]);
      expectNoCredential(JSON.stringify(logs), [BASIC]);
    } finally {
      await server.shutdown();
    }
  });

  it('OAuth2: the access token the connector obtained is redacted from the logged refusal', async () => {
    tokens = await startSimServer({
      name: 'tokens',
      routes: [
        {
          method: 'POST',
          pattern: '/token',
          handle: () => ({
            status: 200,
            json: { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 },
          }),
        },
      ],
    });
    crm = await startHttpCrmSimulator({ authorize: echo(400) });
    const t = startConnector(
      httpTenant(crm.server.url, {
        auth: {
          scheme: 'oauth2',
          grant: 'client_credentials',
          tokenUrl: `${tokens.url}/token`,
          clientIdSecret: 'client-id',
          clientSecretSecret: 'client-secret',
        },
      }),
      { 'client-id': fresh('cid-'), 'client-secret': fresh('cs-') },
    );
    await t.call('OnPassInstalled', install('a'));
    expect(crm.server.requests[0]!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(t.logs.filter((l) => l.msg === 'event dropped')).toHaveLength(1);
    expectNoCredential(JSON.stringify(t.logs), [ACCESS_TOKEN]);
  });
});
