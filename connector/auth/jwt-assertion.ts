/**
 * The RS256 JWT assertion of the OAuth2 JWT-bearer grant (RFC 7523), signed with jsrsasign: pure
 * JavaScript, so it signs on the platform's engine, which has no WebCrypto.
 */
import { KJUR } from 'jsrsasign';

export interface AssertionClaims {
  /** The OAuth client id (Salesforce: the consumer key). */
  iss: string;
  /** The user the token is for (Salesforce: the user name). */
  sub: string;
  aud: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
  jti: string;
}

/** Lifetime of an assertion: Salesforce accepts at most about 3 minutes. */
export const ASSERTION_LIFETIME_S = 180;

let counter = 0;

/** A unique id without a crypto source: time, a counter and Math.random (uniqueness, not secrecy). */
export function newJti(nowMs: number): string {
  counter = (counter + 1) % 1679616;
  const random = Math.floor(Math.random() * 2176782336).toString(36);
  return `${nowMs.toString(36)}-${counter.toString(36)}-${random}`;
}

export function assertionClaims(
  clientId: string,
  subject: string,
  audience: string,
  nowMs: number,
): AssertionClaims {
  const iat = Math.floor(nowMs / 1000);
  return {
    iss: clientId,
    sub: subject,
    aud: audience,
    iat,
    exp: iat + ASSERTION_LIFETIME_S,
    jti: newJti(nowMs),
  };
}

/** Signs the claims; throws (without the key in the message) when privateKeyPem is not an RSA key. */
export function signAssertion(claims: AssertionClaims, privateKeyPem: string): string {
  const header = JSON.stringify({ alg: 'RS256', typ: 'JWT' });
  let token: string;
  try {
    token = KJUR.jws.JWS.sign('RS256', header, JSON.stringify(claims), privateKeyPem);
  } catch {
    throw new Error('the private key could not sign an RS256 JWT (expected a PEM RSA private key)');
  }
  return token;
}
