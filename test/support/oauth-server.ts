/**
 * A real OAuth2 authorization server for tests: oidc-provider 9 on 127.0.0.1 (port 0), with
 *  - a client_credentials client (client_secret_post),
 *  - a refresh_token client whose grants and refresh tokens are seeded through the provider's own
 *    Grant and RefreshToken models; refresh tokens rotate (each use consumes the old one),
 *  - a JWT-bearer grant (urn:ietf:params:oauth:grant-type:jwt-bearer) registered with
 *    provider.registerGrantType, verifying the RS256 assertion with jose against the public key
 *    registered on the client (Salesforce style: no expires_in in the answer, an instance_url),
 *  - configurable access-token lifetime, refresh-token revocation, a log of token requests, and
 *    one-shot injected failures (to see how the client treats a busy or failing endpoint).
 */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as querystring from 'node:querystring';
import { decodeJwt, importSPKI, jwtVerify, type JWK } from 'jose';
import Provider, { errors } from 'oidc-provider';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const PUBLIC_KEY_METADATA = 'x_assertion_public_key_pem';

export interface TokenRequestRecord {
  grantType: string;
  /** The form fields as received (the test server may see secrets; it never logs them). */
  params: Record<string, string>;
  status: number;
}

export interface InjectedAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface OAuthServerOptions {
  /** Access-token lifetime in seconds (default 3600). Can be changed later with setAccessTokenTtl. */
  accessTokenTtl?: number;
  /** The server's clock for assertion checks (default Date.now): tests pass the same as the client. */
  clock?: () => number;
  /** Users the JWT-bearer client may act for (Salesforce "pre-authorized"). */
  jwtSubjects?: string[];
}

export interface OAuthServer {
  issuer: string;
  tokenUrl: string;
  instanceUrl: string;
  clientCredentials: { clientId: string; clientSecret: string };
  refreshClient: { clientId: string; clientSecret: string };
  jwtClient: { clientId: string; privateKeyPem: string; privateKeyPkcs1Pem: string; publicJwk: JWK };
  /** Every token request that reached the server, in order. */
  requests: TokenRequestRecord[];
  tokenRequestCount(grantType?: string): number;
  setAccessTokenTtl(seconds: number): void;
  /** Seeds a grant for the refresh client and returns a new refresh token for it. */
  issueRefreshToken(): Promise<string>;
  /** Revokes a refresh token (and so its grant), as an admin revoking an app's access does. */
  revokeRefreshToken(value: string): Promise<void>;
  /** The next token request gets this answer instead of reaching the provider. */
  injectNext(answer: InjectedAnswer): void;
  close(): Promise<void>;
}

function rsaKeys(): {
  privatePem: string;
  pkcs1Pem: string;
  publicPem: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
} {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    pkcs1Pem: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateJwk: privateKey.export({ format: 'jwk' }),
    publicJwk: publicKey.export({ format: 'jwk' }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function flatten(parsed: querystring.ParsedUrlQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(parsed)) {
    const value = parsed[key];
    out[key] = Array.isArray(value) ? value.join(',') : (value ?? '');
  }
  return out;
}

export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  let accessTokenTtl = options.accessTokenTtl ?? 3600;
  const clock = options.clock ?? Date.now;
  const jwtSubjects = options.jwtSubjects ?? ['integration@example.com'];
  const requests: TokenRequestRecord[] = [];
  const injected: InjectedAnswer[] = [];
  const seenJti = new Set<string>();

  let handler: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handler(req, res));
  // Longer than any test's pause, so a reused keep-alive connection is never closed under it.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokenUrl = `${issuer}/token`;
  const instanceUrl = `${issuer}/salesforce-instance`;

  const signing = rsaKeys();
  const jwtKeys = rsaKeys();
  const publicJwk = { ...jwtKeys.publicJwk, alg: 'RS256', use: 'sig', kid: 'jwt-client-key' } as JWK;
  const clientCredentials = { clientId: 'cc-client', clientSecret: 'cc-secret-Zq8v3LmN1pQ7' };
  const refreshClient = { clientId: 'rt-client', clientSecret: 'rt-secret-Hs4k9WbT2yXe' };
  const jwtClientId = 'jwt-client-3MVG9consumerKey';

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientCredentials.clientId,
        client_secret: clientCredentials.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        client_id: refreshClient.clientId,
        client_secret: refreshClient.clientSecret,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: ['https://connector.example/callback'],
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        client_id: jwtClientId,
        grant_types: [JWT_BEARER],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'none',
        // The app's certificate key, as a PEM string: oidc-provider structuredClone()s client
        // metadata, and under Jest's VM realm a cloned `jwks` object fails its plain-object check.
        [PUBLIC_KEY_METADATA]: jwtKeys.publicPem,
      },
    ],
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      revocation: { enabled: true },
    },
    scopes: ['openid', 'offline_access', 'api'],
    ttl: {
      AccessToken: () => accessTokenTtl,
      ClientCredentials: () => accessTokenTtl,
      RefreshToken: 30 * 24 * 3600,
      Grant: 30 * 24 * 3600,
      IdToken: 3600,
      Session: 3600,
      Interaction: 3600,
      AuthorizationCode: 60,
    },
    extraClientMetadata: { properties: [PUBLIC_KEY_METADATA] },
    rotateRefreshToken: true,
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    jwks: { keys: [{ ...signing.privateJwk, alg: 'RS256', use: 'sig', kid: 'server-key' } as JWK] },
    cookies: { keys: ['oauth-test-server-cookie-key'] },
  });

  provider.registerGrantType(
    JWT_BEARER,
    async (ctx) => {
      const { client } = ctx.oidc;
      const assertion = String(ctx.oidc.params?.assertion ?? '');
      if (!client || assertion === '') throw new errors.InvalidRequest('assertion missing');
      const registered = (client as unknown as Record<string, unknown>)[PUBLIC_KEY_METADATA];
      if (typeof registered !== 'string') throw new errors.InvalidClient('client has no registered key');
      const key = await importSPKI(registered, 'RS256');
      let subject: string;
      let jti: string;
      try {
        const { payload } = await jwtVerify(assertion, key, {
          algorithms: ['RS256'],
          issuer: client.clientId,
          audience: [tokenUrl, issuer],
          requiredClaims: ['sub', 'exp', 'iat', 'jti'],
          currentDate: new Date(clock()),
          maxTokenAge: 300,
        });
        subject = String(payload.sub);
        jti = String(payload.jti);
      } catch (cause) {
        throw new errors.InvalidGrant(
          `assertion rejected: ${(cause as { code?: string }).code ?? 'invalid'}`,
        );
      }
      if (!jwtSubjects.includes(subject)) throw new errors.InvalidGrant("user hasn't approved this consumer");
      if (seenJti.has(jti)) throw new errors.InvalidGrant('assertion replayed');
      seenJti.add(jti);
      const token = new provider.ClientCredentials({ client, scope: 'api' });
      const value = await token.save();
      // Salesforce answers without expires_in, with the org's instance_url.
      ctx.body = { access_token: value, token_type: 'Bearer', scope: 'api', instance_url: instanceUrl };
    },
    ['assertion'],
  );

  // Load the static clients now, so a metadata mistake fails the test setup instead of a request.
  try {
    for (const clientId of [clientCredentials.clientId, refreshClient.clientId, jwtClientId]) {
      await provider.Client.find(clientId);
    }
  } catch (error) {
    server.close();
    const e = error as { error_description?: string; cause?: { message?: string } };
    throw new Error(`oauth test server: ${e.error_description ?? String(error)} ${e.cause?.message ?? ''}`);
  }

  const providerCallback = provider.callback();
  handler = (req, res) => {
    if (req.method !== 'POST' || !req.url || !req.url.startsWith('/token')) {
      providerCallback(req, res);
      return;
    }
    readBody(req).then(
      (raw) => {
        const params = flatten(querystring.parse(raw));
        // Like Salesforce, the JWT-bearer grant names its client by the assertion's iss alone.
        if (params.grant_type === JWT_BEARER && !params.client_id && params.assertion) {
          try {
            params.client_id = String(decodeJwt(params.assertion).iss ?? '');
          } catch {
            // left to the provider to refuse
          }
        }
        const record: TokenRequestRecord = {
          grantType: params.grant_type ?? '',
          params: { ...params },
          status: 0,
        };
        requests.push(record);
        res.on('finish', () => {
          record.status = res.statusCode;
        });
        const answer = injected.shift();
        if (answer) {
          res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
          res.end(JSON.stringify(answer.body));
          return;
        }
        // oidc-provider reads an already-read body from req.body.
        (req as http.IncomingMessage & { body?: unknown }).body = params;
        providerCallback(req, res);
      },
      (error: Error) => {
        res.writeHead(500);
        res.end(error.message);
      },
    );
  };

  async function issueRefreshToken(): Promise<string> {
    const accountId = 'crm-admin';
    const grant = new provider.Grant({ accountId, clientId: refreshClient.clientId });
    grant.addOIDCScope('openid offline_access');
    const grantId = await grant.save();
    const client = await provider.Client.find(refreshClient.clientId);
    if (!client) throw new Error('refresh client not found');
    const refreshToken = new provider.RefreshToken({
      accountId,
      client,
      grantId,
      gty: 'authorization_code',
      scope: 'openid offline_access',
      authTime: Math.floor(clock() / 1000),
    });
    return refreshToken.save();
  }

  async function revokeRefreshToken(value: string): Promise<void> {
    const token = await provider.RefreshToken.find(value, { ignoreExpiration: true });
    if (!token) return;
    const grant = await provider.Grant.find(token.grantId as string);
    await token.destroy();
    if (grant) await grant.destroy();
  }

  return {
    issuer,
    tokenUrl,
    instanceUrl,
    clientCredentials,
    refreshClient,
    jwtClient: {
      clientId: jwtClientId,
      privateKeyPem: jwtKeys.privatePem,
      privateKeyPkcs1Pem: jwtKeys.pkcs1Pem,
      publicJwk,
    },
    requests,
    tokenRequestCount: (grantType) =>
      requests.filter((r) => grantType === undefined || r.grantType === grantType).length,
    setAccessTokenTtl: (seconds) => {
      accessTokenTtl = seconds;
    },
    issueRefreshToken,
    revokeRefreshToken,
    injectNext: (answer) => {
      injected.push(answer);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
