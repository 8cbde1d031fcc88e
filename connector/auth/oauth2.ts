/**
 * OAuth2 client_credentials, refresh_token (rotating refresh tokens kept in memory) and jwt_bearer
 * (RS256 assertion). Tokens are cached (token-cache.ts); a 401 calls invalidate() with the rejected
 * headers, and the next headers() call fetches a fresh token.
 */
import type { AuthConfig } from '../config/tenant-config.generated';
import { isConnectorError } from '../delivery/errors';
import { formEncode } from './form';
import { assertionClaims, signAssertion } from './jwt-assertion';
import { configurationError, readSecret, secretName } from './secrets';
import { createTokenCache, refreshAt, type CachedToken } from './token-cache';
import { requestToken, type RejectionHints, type TokenAnswer } from './token-endpoint';
import type { AuthDeps, AuthProvider, TokenInfo } from './types';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Salesforce's instance_url moves every later request, token included: https only, or plain http
 * to this machine (a local simulator), the same rule validate applies to configured URLs.
 */
const SAFE_INSTANCE_URL =
  /^(https:\/\/|http:\/\/(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(:\d+)?(\/|$))/i;

type Grant = NonNullable<AuthConfig['grant']>;

function required(auth: AuthConfig, key: 'tokenUrl' | 'subject', deps: AuthDeps): string {
  const value = auth[key];
  if (typeof value !== 'string' || value === '') {
    throw configurationError(deps, `oauth2 grant "${String(auth.grant)}" needs auth.${key}`);
  }
  return value;
}

function bearerOf(headers: Record<string, string> | undefined): string | undefined {
  if (!headers) return undefined;
  const names = Object.keys(headers);
  for (let i = 0; i < names.length; i += 1) {
    const name = names[i] as string;
    const value = headers[name];
    if (name.toLowerCase() === 'authorization' && value !== undefined && /^bearer /i.test(value))
      return value.slice(7);
  }
  return undefined;
}

export function createOAuth2Auth(auth: AuthConfig, deps: AuthDeps): AuthProvider {
  const grant: Grant | undefined = auth.grant;
  if (grant !== 'client_credentials' && grant !== 'refresh_token' && grant !== 'jwt_bearer') {
    throw configurationError(
      deps,
      'auth scheme "oauth2" needs auth.grant: client_credentials, refresh_token or jwt_bearer',
    );
  }
  const tokenUrl = required(auth, 'tokenUrl', deps);
  const clientIdName = secretName(auth, 'clientIdSecret', deps);
  const fetchAnswer = grantFetcher(grant, auth, deps, tokenUrl, clientIdName);
  let instanceUrl: string | undefined;

  async function fetchToken(): Promise<CachedToken> {
    const answer = await fetchAnswer();
    if (answer.instanceUrl && !SAFE_INSTANCE_URL.test(answer.instanceUrl)) {
      throw configurationError(
        deps,
        'the token endpoint named an instance_url that is not https: every request would carry the token in clear; check auth.tokenUrl',
      );
    }
    if (answer.instanceUrl) instanceUrl = answer.instanceUrl;
    return {
      accessToken: answer.accessToken,
      refreshAtMs: refreshAt(deps.now(), answer.expiresIn),
      instanceUrl: answer.instanceUrl,
    };
  }

  const cache = createTokenCache(fetchToken, deps.now);

  async function headers(): Promise<Record<string, string>> {
    const token = await cache.get();
    return { Authorization: `Bearer ${token.accessToken}` };
  }

  function invalidate(rejectedHeaders?: Record<string, string>): void {
    cache.drop(bearerOf(rejectedHeaders));
  }

  function tokenResponse(): TokenInfo {
    return { instanceUrl };
  }

  const subject = grant === 'jwt_bearer' ? `:${String(auth.subject)}` : '';
  return {
    identity: `oauth2:${grant}:${tokenUrl}:${clientIdName}${subject}`,
    headers,
    invalidate,
    canRefresh: true,
    tokenResponse,
  };
}

function grantFetcher(
  grant: Grant,
  auth: AuthConfig,
  deps: AuthDeps,
  tokenUrl: string,
  clientIdName: string,
): () => Promise<TokenAnswer> {
  if (grant === 'jwt_bearer') return jwtBearer(auth, deps, tokenUrl, clientIdName);
  const clientSecretName = secretName(auth, 'clientSecretSecret', deps);
  const invalidClient = `client id or secret rejected: check secrets "${clientIdName}" and "${clientSecretName}"`;
  if (grant === 'client_credentials') {
    async function clientCredentials(): Promise<TokenAnswer> {
      const clientId = await readSecret(deps, clientIdName);
      const clientSecret = await readSecret(deps, clientSecretName);
      const form = formEncode([
        ['grant_type', 'client_credentials'],
        ['client_id', clientId],
        ['client_secret', clientSecret],
        ['scope', auth.scope],
        ['audience', auth.audience],
      ]);
      const hints: RejectionHints = {
        invalidGrant: `client credentials grant refused: check the app allows it and secrets "${clientIdName}" and "${clientSecretName}"`,
        invalidClient,
      };
      const answer = await requestToken(deps, tokenUrl, form, hints, [clientId, clientSecret]);
      return answer;
    }
    return clientCredentials;
  }
  return refreshTokenGrant(auth, deps, tokenUrl, clientIdName, clientSecretName, invalidClient);
}

function refreshTokenGrant(
  auth: AuthConfig,
  deps: AuthDeps,
  tokenUrl: string,
  clientIdName: string,
  clientSecretName: string,
  invalidClient: string,
): () => Promise<TokenAnswer> {
  const refreshName = secretName(auth, 'refreshTokenSecret', deps);
  // The current refresh token: read from the secret once, then replaced by each rotation.
  let current: string | null = null;
  const hints: RejectionHints = {
    invalidGrant: `refresh token revoked or expired: re-authorize and update secret "${refreshName}"`,
    invalidClient,
  };

  async function refresh(): Promise<TokenAnswer> {
    const clientId = await readSecret(deps, clientIdName);
    const clientSecret = await readSecret(deps, clientSecretName);
    if (current === null) {
      const fromSecret = await readSecret(deps, refreshName);
      current = fromSecret;
    }
    const used = current;
    const form = formEncode([
      ['grant_type', 'refresh_token'],
      ['refresh_token', used],
      ['client_id', clientId],
      ['client_secret', clientSecret],
      ['scope', auth.scope],
    ]);
    let answer: TokenAnswer;
    try {
      answer = await requestToken(deps, tokenUrl, form, hints, [clientId, clientSecret, used]);
    } catch (error) {
      // A refused grant: read the secret again next time, in case someone updated it.
      if (isConnectorError(error) && error.kind === 'authentication') current = null;
      throw error;
    }
    if (answer.refreshToken) current = answer.refreshToken;
    return answer;
  }
  return refresh;
}

function jwtBearer(
  auth: AuthConfig,
  deps: AuthDeps,
  tokenUrl: string,
  clientIdName: string,
): () => Promise<TokenAnswer> {
  const keyName = secretName(auth, 'privateKeySecret', deps);
  const subject = required(auth, 'subject', deps);
  const audience = auth.audience || tokenUrl;
  const hints: RejectionHints = {
    invalidGrant: `JWT assertion refused: check that user "${subject}" is pre-authorized for the app, that audience "${audience}" is right, and that secret "${keyName}" holds the key of the app's certificate`,
    invalidClient: `client id refused: check secret "${clientIdName}"`,
  };

  async function assertionGrant(): Promise<TokenAnswer> {
    const clientId = await readSecret(deps, clientIdName);
    const privateKey = await readSecret(deps, keyName);
    let assertion: string;
    try {
      assertion = signAssertion(assertionClaims(clientId, subject, audience, deps.now()), privateKey);
    } catch {
      throw configurationError(
        deps,
        `secret "${keyName}" does not hold a PEM RSA private key that can sign RS256`,
      );
    }
    deps.registerSecret(assertion);
    const form = formEncode([
      ['grant_type', JWT_BEARER],
      ['assertion', assertion],
    ]);
    const answer = await requestToken(deps, tokenUrl, form, hints, [clientId, privateKey, assertion]);
    return answer;
  }
  return assertionGrant;
}
