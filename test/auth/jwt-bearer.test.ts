import { createPublicKey } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { createAuth } from '../../connector/auth';
import { assertionClaims, signAssertion } from '../../connector/auth/jwt-assertion';
import type { AuthConfig } from '../../connector/config/tenant-config.generated';
import { JWT_BEARER, startOAuthServer, type OAuthServer } from '../support/oauth-server';
import { deps, manualClock, rejectionOf } from './harness';
import { expectNoSecrets } from './harness-secrets';

const START = Date.UTC(2026, 10, 27, 10, 0, 0);

describe('oauth2 jwt_bearer: pure-JS RS256 signer, verified by jose and by a real token endpoint', () => {
  let server: OAuthServer;
  const clock = manualClock(START);
  beforeAll(async () => {
    server = await startOAuthServer({ clock: clock.now, jwtSubjects: ['integration@example.com'] });
  });
  afterAll(async () => {
    await server.close();
  });

  function config(subject = 'integration@example.com'): AuthConfig {
    return {
      scheme: 'oauth2',
      grant: 'jwt_bearer',
      tokenUrl: server.tokenUrl,
      clientIdSecret: 'sf-consumer-key',
      privateKeySecret: 'sf-private-key',
      subject,
      audience: server.issuer,
    };
  }

  function secrets(pem = server.jwtClient.privateKeyPem) {
    return { 'sf-consumer-key': server.jwtClient.clientId, 'sf-private-key': pem };
  }

  it('the jsrsasign-signed assertion verifies with jose (RS256) and carries the right claims', async () => {
    const claims = assertionClaims('client-1', 'user@example.com', 'https://login.example.com', START);
    for (const pem of [server.jwtClient.privateKeyPem, server.jwtClient.privateKeyPkcs1Pem]) {
      const jwt = signAssertion(claims, pem);
      expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT' });
      const key = await importJWK(server.jwtClient.publicJwk, 'RS256');
      const { payload } = await jwtVerify(jwt, key, {
        algorithms: ['RS256'],
        issuer: 'client-1',
        subject: 'user@example.com',
        audience: 'https://login.example.com',
        currentDate: new Date(START),
      });
      expect(payload.iat).toBe(START / 1000);
      expect(payload.exp).toBe(START / 1000 + 180);
      expect(typeof payload.jti).toBe('string');
    }
    // Node's own verifier agrees (independent of jose).
    const jwt = signAssertion(claims, server.jwtClient.privateKeyPem);
    const [h, p, s] = jwt.split('.');
    const { createVerify } = await import('node:crypto');
    const ok = createVerify('RSA-SHA256')
      .update(`${h}.${p}`)
      .verify(
        createPublicKey({ key: server.jwtClient.publicJwk, format: 'jwk' }),
        Buffer.from(s!, 'base64url'),
      );
    expect(ok).toBe(true);
  });

  it('each assertion has its own jti', () => {
    const a = assertionClaims('c', 's', 'a', START);
    const b = assertionClaims('c', 's', 'a', START);
    expect(a.jti).not.toBe(b.jti);
  });

  it('gets a token from the grant, keeps instance_url, and assumes 3600 s when expires_in is missing', async () => {
    const wiring = deps(secrets(), clock);
    const auth = createAuth(config(), wiring);
    const before = server.tokenRequestCount(JWT_BEARER);
    const headers = await auth.headers();
    expect(headers.Authorization).toMatch(/^Bearer \S{20,}$/);
    expect(auth.tokenResponse?.()).toEqual({ instanceUrl: server.instanceUrl });
    const last = server.requests[server.requests.length - 1]!;
    expect(Object.keys(last.params).sort()).toEqual(['assertion', 'client_id', 'grant_type']); // client_id added by the server from iss
    expect(last.status).toBe(200);
    // The signed assertion and the token it bought are known to the log redactor (issue 13).
    expect(wiring.registered).toContain(last.params.assertion);
    expect(wiring.registered).toContain(headers.Authorization!.slice('Bearer '.length));

    clock.advance(3539_000); // 3600 s assumed, refreshed 60 s early
    expect(await auth.headers()).toEqual(headers);
    expect(server.tokenRequestCount(JWT_BEARER) - before).toBe(1);
    clock.advance(2_000);
    expect(await auth.headers()).not.toEqual(headers);
    expect(server.tokenRequestCount(JWT_BEARER) - before).toBe(2);
  });

  it('a user the app is not authorized for is an authentication error naming what to check', async () => {
    const auth = createAuth(config('someone-else@example.com'), deps(secrets(), clock));
    const error = await rejectionOf(() => auth.headers());
    expect(`${error.kind}: ${error.message}`).toMatch(/^authentication: /);
    expect(error.vendorCode).toBe('invalid_grant');
    expect(error.reason).toContain('someone-else@example.com');
    expect(error.reason).toContain('"sf-private-key"');
    expectNoSecrets(error, [server.jwtClient.privateKeyPem, 'MII']);
  });

  it('an assertion signed with another key is refused by the server', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    const auth = createAuth(config(), deps(secrets(other.toString()), clock));
    const error = await rejectionOf(() => auth.headers());
    expect(error.kind).toBe('authentication');
    expectNoSecrets(error, [other.toString().split('\n')[1]!]);
  });

  it('a secret that is not an RSA key is a configuration error that does not echo it', async () => {
    const notAKey = 'not-a-pem-key-Jr9Wq2';
    const auth = createAuth(config(), deps(secrets(notAKey), clock));
    const error = await rejectionOf(() => auth.headers());
    expect(error.kind).toBe('configuration');
    expect(error.reason).toContain('"sf-private-key"');
    expectNoSecrets(error, [notAKey]);
  });
});
