/** The part of oidc-provider 9 (which ships no typings) that test/support/oauth-server.ts uses. */
declare module 'oidc-provider' {
  import type { RequestListener } from 'node:http';

  interface Client {
    clientId: string;
  }
  interface GrantContext {
    oidc: { client?: Client; params?: Record<string, unknown> };
    body: unknown;
  }
  interface Saveable {
    save(): Promise<string>;
  }
  interface Destroyable {
    destroy(): Promise<void>;
  }
  class _ClientCredentials implements Saveable {
    constructor(init: { client: Client; scope?: string });
    save(): Promise<string>;
  }
  class _Grant implements Saveable {
    constructor(init: { accountId: string; clientId: string });
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
    static find(id: string): Promise<Destroyable | undefined>;
  }
  class _RefreshToken implements Saveable {
    constructor(init: Record<string, unknown> & { client: Client });
    save(): Promise<string>;
    static find(
      value: string,
      options?: { ignoreExpiration?: boolean },
    ): Promise<(Destroyable & { grantId?: string }) | undefined>;
  }
  class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    Client: { find(id: string): Promise<Client | undefined> };
    ClientCredentials: typeof _ClientCredentials;
    Grant: typeof _Grant;
    RefreshToken: typeof _RefreshToken;
    registerGrantType(name: string, handler: (ctx: GrantContext) => Promise<void>, params?: string[]): void;
    callback(): RequestListener;
  }
  type OAuthErrorClass = new (description?: string) => Error;
  export const errors: {
    InvalidRequest: OAuthErrorClass;
    InvalidGrant: OAuthErrorClass;
    InvalidClient: OAuthErrorClass;
  };
  export default Provider;
}
