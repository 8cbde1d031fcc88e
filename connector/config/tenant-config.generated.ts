/* Generated from the destination definitions by cli/config/generate.ts (via connector.manifest.json configSchema): do not edit. */

export type DestinationConfig = Destination;
/**
 * How the connector authenticates to this destination. Every *Secret key names a secret.
 */
export type AuthConfig = Auth;

/**
 * One tenant's configuration of the wallet install-status connector. Secrets are named, never written here.
 */
export interface TenantConfig {
  /**
   * The Wallet Crew tenant id (also the dist/ folder name).
   */
  tenantId: string;
  /**
   * Which platform environment this tenant file is for.
   */
  environment?: 'production' | 'staging';
  /**
   * How an event is matched to one CRM record.
   */
  joinKey: {
    /**
     * Pass identifier keys to try, in order; the first present one is the join key.
     *
     * @minItems 1
     */
    identifiers: string[];
    /**
     * Trim and lowercase the join key (for email identifiers).
     */
    normalizeEmail?: boolean;
  };
  /**
   * Lowest level written to the log.
   */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /**
   * What the platform's activeRegistrationCount / totalRegistrationCount cover; its docs do not say. "auto": exact whether they count the event's wallet or the whole pass on both wallets, with several devices per wallet. "perWallet" / "perPass": trust that scope, which heals sooner after a lost event but is wrong if the platform counts the other way. See the README, "How the status stays exact".
   */
  registrationCounts?: 'auto' | 'perWallet' | 'perPass';
  /**
   * The Wallet Crew REST API, for backfill and insights (Node tools only).
   */
  platform?: {
    /**
     * https://app.neostore.cloud (production) or https://app-qa.neostore.cloud (staging).
     */
    baseUrl?: string;
    /**
     * The X-API-KEY for the Pass and Insights APIs. The NAME of a secret read with getSecret at run time, never the value.
     */
    apiKeySecret?: string;
    /**
     * The webhook signatureSecret, for serve. The NAME of a secret read with getSecret at run time, never the value.
     */
    webhookSecret?: string;
  };
  /**
   * Where events go.
   *
   * @minItems 1
   */
  destinations: DestinationConfig[];
}
export interface Destination {
  /**
   * Unique id of this destination within the tenant (lowercase letters, digits, - and _).
   */
  id: string;
  /**
   * Which CRM this is.
   */
  type: 'hubspot' | 'salesforce' | 'braze' | 'klaviyo' | 'dynamics' | 'http';
  /**
   * API base URL (production, sandbox, EU host, or a local simulator).
   */
  baseUrl: string;
  auth: AuthConfig;
  /**
   * Allow plain http:// for baseUrl and auth.tokenUrl when they name a private host (10/8, 172.16/12, 192.168/16, fc00::/7, a single-label name or .internal/.local/.lan...). Credentials then cross that network in clear: only on a network you trust. https is required otherwise, except to loopback (127.0.0.0/8, ::1, localhost).
   */
  allowInsecureHttp?: boolean;
  route?: RouteConfig;
  /**
   * After a write that is not conditional, read the record back and write again when another writer overwrote it. auto: only while this script instance has served a single hook call (a host that starts an instance per call); always; never (one writer per customer is certain).
   */
  readBack?: 'auto' | 'always' | 'never';
  /**
   * readModifyWrite reads the current record, reduces and writes only real changes (exact status). writeOnly never reads: each event writes its own wallet's fields blindly.
   */
  mode?: 'readModifyWrite' | 'writeOnly';
  /**
   * CRM property name for each canonical field; missing ones take the destination type's default.
   */
  properties?: {
    /**
     * CRM name of walletStatus.
     */
    walletStatus?: string;
    /**
     * CRM name of appleWalletInstalledAt.
     */
    appleWalletInstalledAt?: string;
    /**
     * CRM name of googleWalletInstalledAt.
     */
    googleWalletInstalledAt?: string;
    /**
     * CRM name of walletLastChangedAt.
     */
    walletLastChangedAt?: string;
    /**
     * CRM name of walletLastEvent.
     */
    walletLastEvent?: string;
    /**
     * CRM name of walletSyncState.
     */
    walletSyncState?: string;
  };
  /**
   * Requests allowed per interval and at once; defaults come from the CRM's published limits.
   */
  rateLimit?: {
    /**
     * Requests per interval.
     */
    requests?: number;
    /**
     * Interval length in milliseconds.
     */
    intervalMs?: number;
    /**
     * Requests in flight at once.
     */
    maxConcurrent?: number;
  };
  /**
   * Micro-batching: events arriving within maxWaitMs are grouped up to maxSize records a request.
   */
  batch?: {
    /**
     * Records a request (capped at the CRM's maximum).
     */
    maxSize?: number;
    /**
     * How long the first event of a batch waits for others.
     */
    maxWaitMs?: number;
  };
  /**
   * Retry policy for transient failures.
   */
  retry?: {
    /**
     * Total time budget for one delivery; past it the hook rejects so the platform delivers again.
     */
    maxElapsedMs?: number;
    /**
     * Attempts per request, the first included.
     */
    maxAttempts?: number;
    /**
     * Backoff base (full jitter, doubling each attempt).
     */
    baseDelayMs?: number;
    /**
     * Backoff cap for one wait (Retry-After may ask for more, within the budget).
     */
    maxDelayMs?: number;
  };
  /**
   * Per-request timeout.
   */
  timeoutMs?: number;
  /**
   * Also send Pass Installed / Pass Uninstalled events where the CRM has an event API.
   */
  events?: boolean;
  /**
   * hubspot: the unique contact property that holds the join key (e.g. customer_id or email); klaviyo: the profile attribute that holds the join key: external_id, email or phone_number (default "external_id").
   */
  idProperty?: string;
  /**
   * hubspot: the internal names of your custom event definitions, e.g. pe12345_pass_installed (default pass_installed / pass_uninstalled); braze: the custom event names (default "Pass Installed" / "Pass Uninstalled"); klaviyo: the metric names of the events (default "Pass Installed" / "Pass Uninstalled").
   */
  eventNames?: {
    /**
     * Name of the event sent for an install.
     */
    installed?: string;
    /**
     * Name of the event sent for an uninstall.
     */
    uninstalled?: string;
  };
  /**
   * salesforce: the sObject that holds the customers (default "Contact"); dynamics: the entity set (plural logical name) that holds the customers (default "contacts").
   */
  objectType?: string;
  /**
   * salesforce: the External ID field that holds the join key (e.g. Customer_Id__c); dynamics: the column of the alternate key that holds the join key (e.g. twc_customerid).
   */
  externalIdField?: string;
  /**
   * salesforce: the REST API version (e.g. v62.0) (default "v62.0"); klaviyo: the API revision (YYYY-MM-DD) (default "2026-07-15"); dynamics: the Web API version (e.g. v9.2) (default "v9.2").
   */
  apiVersion?: string;
  /**
   * http: the write method.
   */
  method?: 'POST' | 'PUT' | 'PATCH';
  /**
   * http: the write path template, e.g. /customers/{joinKey}; values are URL-encoded.
   */
  path?: string;
  /**
   * http: the read path template (GET) for readModifyWrite; defaults to path.
   */
  readPath?: string;
  /**
   * http: extra request headers (non-secret values only; put credentials in auth).
   */
  headers?: {
    [k: string]: string | undefined;
  };
  /**
   * http: the payload template (json-e), evaluated on { event, events, state, fields, tenantId }. Without it the payload is the CRM fields plus the event.
   */
  template?: {
    [k: string]: unknown | undefined;
  };
}
export interface Auth {
  /**
   * Authentication scheme.
   */
  scheme: 'apiKey' | 'bearer' | 'basic' | 'oauth2';
  /**
   * apiKey: the header that carries the key, e.g. X-API-KEY or Authorization.
   */
  header?: string;
  /**
   * apiKey: text placed before the key, e.g. "Klaviyo-API-Key ".
   */
  prefix?: string;
  /**
   * apiKey: the API key. The NAME of a secret read with getSecret at run time, never the value.
   */
  secret?: string;
  /**
   * bearer: the token. The NAME of a secret read with getSecret at run time, never the value.
   */
  tokenSecret?: string;
  /**
   * basic: the user name. The NAME of a secret read with getSecret at run time, never the value.
   */
  usernameSecret?: string;
  /**
   * basic: the password. The NAME of a secret read with getSecret at run time, never the value.
   */
  passwordSecret?: string;
  /**
   * oauth2: the grant type.
   */
  grant?: 'client_credentials' | 'refresh_token' | 'jwt_bearer';
  /**
   * oauth2: the token endpoint.
   */
  tokenUrl?: string;
  /**
   * oauth2: the client id. The NAME of a secret read with getSecret at run time, never the value.
   */
  clientIdSecret?: string;
  /**
   * oauth2: the client secret. The NAME of a secret read with getSecret at run time, never the value.
   */
  clientSecretSecret?: string;
  /**
   * oauth2 refresh_token: the refresh token. The NAME of a secret read with getSecret at run time, never the value.
   */
  refreshTokenSecret?: string;
  /**
   * oauth2 jwt_bearer: the PEM RSA private key that signs the assertion (RS256). The NAME of a secret read with getSecret at run time, never the value.
   */
  privateKeySecret?: string;
  /**
   * oauth2: requested scope, e.g. https://org.crm.dynamics.com/.default.
   */
  scope?: string;
  /**
   * oauth2: audience (client_credentials where the server needs it; jwt_bearer: the aud claim).
   */
  audience?: string;
  /**
   * oauth2 jwt_bearer: the sub claim (e.g. the Salesforce user name).
   */
  subject?: string;
}
/**
 * Which events this destination takes. A missing list means all.
 */
export interface RouteConfig {
  /**
   * Pass types (template names) to take.
   */
  passTypes?: string[];
  /**
   * Wallets to take.
   */
  devices?: ('apple' | 'google')[];
  /**
   * Event kinds to take.
   */
  events?: ('installed' | 'uninstalled')[];
}
