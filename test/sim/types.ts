/**
 * Shared shapes of the loopback simulator core. Vendor simulators (HubSpot, Salesforce, Braze,
 * Klaviyo, Dynamics, the generic `http` CRM) are lists of Routes plus a rate-limit rule and a
 * fault plan on top of these types.
 */

/** Milliseconds since the epoch. Injected so tests can drive window accounting without sleeping. */
export type Clock = () => number;

/** A request as the simulator saw it, after its body was read. */
export interface SimRequest {
  method: string;
  /** Path without the query string, still URL-encoded (route params are decoded). */
  path: string;
  /** Raw request target, path plus query string, for routes that need repeated parameters. */
  url: string;
  /** First value of each query parameter. */
  query: Record<string, string>;
  /** Header names in lower case; repeated headers joined with ", " as Node does. */
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  /** Clock time when the request arrived. */
  at: number;
}

/** What a route (or a rate-limit rule, or a fault) answers. `json` wins over `body`. */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
}

export interface Route {
  /** HTTP method, or '*' for any. */
  method: string;
  /** Literal segments and `:name` params, e.g. '/customers/:key'. */
  pattern: string;
  handle(req: SimRequest, params: Record<string, string>): SimResponse | Promise<SimResponse>;
}

/** One entry of SimServer.requests, filled in as the request goes through the simulator. */
export interface RecordedRequest extends SimRequest {
  /** 0-based arrival order. */
  seq: number;
  /** Status answered, or null while unanswered and when the connection was reset or left hanging. */
  status: number | null;
  /** True when the rate limiter refused it: it never reached a route or a fault. */
  refused: boolean;
  /** Label of the injected fault ('503', 'reset', 'delay:200', 'hang', 'empty:200'), or null. */
  fault: string | null;
  /** True when the connection closed before the answer was complete (client timeout, server close), not by a reset fault. */
  aborted: boolean;
}
