/**
 * What the delivery engine needs from a destination's credentials: headers for the next request, a
 * stable non-secret identity (for limiter keys), and, for OAuth2, a way to drop a token the CRM
 * rejected so the next headers() call fetches a fresh one.
 */
import type { HttpTransport } from '../platform/host';

export interface AuthDeps {
  /** Reads a secret by NAME (neo/secrets on the platform). */
  getSecret(name: string): Promise<string>;
  http: HttpTransport;
  now(): number;
  destination: string;
  timeoutMs: number;
  /**
   * Registers a credential with the log redactor the moment it exists: secret values read, and
   * every credential derived from them (Basic's base64, access and refresh tokens, JWT assertions),
   * which a CRM may echo back in an error body.
   */
  registerSecret(value: string): void;
}

export interface TokenInfo {
  /** Salesforce answers with the org's instance URL next to the token. */
  instanceUrl?: string;
}

export interface AuthProvider {
  /** Stable id of the credential (scheme and secret NAMES), never a secret value. */
  identity: string;
  /** Headers to add to the next request. Rejects with a ConnectorError. */
  headers(): Promise<Record<string, string>>;
  /** After a 401: forget the token those headers carried (OAuth2; a no-op otherwise). */
  invalidate(rejectedHeaders?: Record<string, string>): void;
  /** True when invalidate() + headers() can yield a different credential (OAuth2). */
  canRefresh: boolean;
  /** What the last token response said besides the token (OAuth2 only). */
  tokenResponse?(): TokenInfo;
}
