/**
 * HTTP, as three layers, all in this file (retries and the limiter sit above, in
 * delivery/sender.ts):
 *
 *   createHttpTransport   the connector's one request shape (HttpRequest -> HttpResponse, host.http)
 *     -> axios            THE client: one instance, `client.request(...)`; statuses are not judged
 *                         here (the connector classifies them), bodies stay raw text
 *       -> fetchAdapter   axios's adapter: the host's `fetch`, the timeout on the host's timers,
 *                         redirects refused, no response -> a network code
 *
 * The upload bundle carries none of axios's own adapters (its fetch adapter uses async generators,
 * its xhr adapter needs XMLHttpRequest), so the same code runs on NiL.JS and in Node (Node's fetch).
 * The instance is built on axios's `Axios` class with only the defaults the connector uses:
 * `axios.create` would copy axios's global defaults (header buckets per method, transitional
 * flags...) into every request's config merge, which was most of the CPU an event cost.
 */
import axios, {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { REDIRECT_CODE, type HttpRequest, type HttpResponse, type HttpTransport, type Timers } from './host';
import { awaitHost } from './engine/index';

/** The part of the Fetch API the transport uses; the host's fetch may be a minimal one. */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    redirect?: 'manual';
  },
) => PromiseLike<FetchResponseLike>;

export interface FetchResponseLike {
  status: number;
  headers?: unknown;
  /** Fetch API: the URL of the final response, and whether a redirect led there. */
  url?: string;
  redirected?: boolean;
  text(): PromiseLike<string>;
}

/** An exchange that produced no response. `code` is ETIMEDOUT or a network code (ECONNRESET...). */
export class HttpTransportError extends Error {
  code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'HttpTransportError';
    this.code = code;
  }
}

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** scheme://host[:port] in lower case, or '' when the text is not an absolute URL. */
export function originOf(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(url);
  return match ? (match[1] as string).toLowerCase() : '';
}

/** The host a Location names (relative ones stay on the request's host); never its path or query. */
function locationHost(location: string | undefined, requestUrl: string): string {
  const origin = originOf(location || '') || originOf(requestUrl);
  return origin.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^[^@]*@/, '') || '(unknown)';
}

/** A redirect answered (3xx with Location) or followed by the host's fetch despite `redirect: 'manual'`. */
function redirectSeen(
  requestUrl: string,
  response: FetchResponseLike,
  headers: Record<string, string>,
): string | null {
  if (REDIRECT_STATUSES.indexOf(response.status) >= 0 && headers.location !== undefined)
    return locationHost(headers.location, requestUrl);
  const finalUrl = typeof response.url === 'string' ? response.url : '';
  const moved = finalUrl !== '' && originOf(finalUrl) !== originOf(requestUrl);
  if (response.redirected === true || moved) return locationHost(finalUrl, requestUrl);
  return null;
}

/** Method and URL without its query string: queries may carry API keys, and messages get logged. */
function describe(method: string, url: string): string {
  const q = url.indexOf('?');
  return `${method} ${q < 0 ? url : url.slice(0, q)}`;
}

function networkCode(error: unknown): string {
  const pick = (e: unknown): unknown =>
    e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined;
  const cause = error && typeof error === 'object' ? (error as { cause?: unknown }).cause : undefined;
  const code = pick(error) ?? pick(cause);
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code) && code !== 'ETIMEDOUT' ? code : 'ECONNRESET';
}

/** Lower-cases header names from a Headers object (forEach), an entries list or a plain object. */
export function headersToRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== 'object') return out;
  const h = headers as { forEach?: unknown };
  if (typeof h.forEach === 'function' && !Array.isArray(headers)) {
    (h.forEach as (cb: (value: string, name: string) => void) => void).call(headers, (value, name) => {
      out[String(name).toLowerCase()] = String(value);
    });
    return out;
  }
  if (Array.isArray(headers)) {
    for (const pair of headers as unknown[]) {
      if (Array.isArray(pair) && pair.length >= 2) out[String(pair[0]).toLowerCase()] = String(pair[1]);
    }
    return out;
  }
  for (const name of Object.keys(headers)) {
    out[name.toLowerCase()] = String((headers as Record<string, unknown>)[name]);
  }
  return out;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function absoluteUrl(baseURL: string | undefined, url: string): string {
  if (!baseURL || originOf(url) !== '') return url;
  return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

/** axios's request headers as the plain record fetch takes (unset and `false` values dropped). */
function plainHeaders(headers: InternalAxiosRequestConfig['headers']): Record<string, string> {
  const json = headers.toJSON() as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const name of Object.keys(json)) {
    const value = json[name];
    if (value === undefined || value === null || value === false) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/**
 * The bottom layer: axios's adapter over the host's fetch. It resolves with every response (status
 * checks belong to `validateStatus`, as in axios's own adapters) and rejects with an AxiosError
 * carrying a network code (ETIMEDOUT, ECONNRESET..., EREDIRECT) when no usable response came.
 * The URL is the config's own, after a `baseURL` when it is relative (the connector sends
 * absolute URLs; axios's `params` are not supported: the connector puts queries in the URL).
 */
export function fetchAdapter(fetchFn: FetchLike, timers: Timers | null): AxiosAdapter {
  return (config) =>
    new Promise<AxiosResponse>((resolve, reject) => {
      const method = String(config.method || 'get').toUpperCase();
      const url = absoluteUrl(config.baseURL, String(config.url || ''));
      if (METHODS.indexOf(method) < 0) {
        reject(new AxiosError(`Unsupported method ${method}`, 'ERR_BAD_OPTION', config));
        return;
      }
      let settled = false;
      let timer: unknown;
      const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        if (timer !== undefined && timers) timers.clearTimeout(timer);
        return true;
      };
      const fail = (code: string, message: string): void => {
        if (settle()) reject(new AxiosError(message, code, config));
      };

      // Without timers no timeout can be enforced here: the host's fetch is then the only bound.
      const timeoutMs = config.timeout && config.timeout > 0 ? config.timeout : 0;
      if (timers && timeoutMs > 0) {
        timer = timers.setTimeout(() => {
          fail('ETIMEDOUT', `${describe(method, url)} timed out after ${timeoutMs} ms`);
          if (controller) controller.abort();
        }, timeoutMs);
      }

      const onNetworkError = (error: unknown): void =>
        fail(networkCode(error), `${describe(method, url)} failed: no response (${networkCode(error)})`);

      const data: unknown = config.data;
      let pending: PromiseLike<FetchResponseLike>;
      try {
        pending = fetchFn(url, {
          method,
          headers: plainHeaders(config.headers),
          body: data === undefined || data === null ? undefined : String(data),
          signal: controller ? controller.signal : undefined,
          // Never follow: the next hop would get the credentials too (see REDIRECT_CODE).
          redirect: 'manual',
        });
      } catch (error) {
        onNetworkError(error);
        return;
      }
      // The host's promises reach the connector only through awaitHost (engine/hook-driver.ts).
      awaitHost(pending, Promise).then((response) => {
        if (settled) return;
        const headers = headersToRecord(response.headers);
        const redirectedTo = redirectSeen(url, response, headers);
        if (redirectedTo !== null) {
          fail(REDIRECT_CODE, `${describe(method, url)} was redirected to host ${redirectedTo}`);
          if (controller) controller.abort();
          return;
        }
        awaitHost(response.text(), Promise).then((body) => {
          if (!settle()) return;
          const result = {
            data: typeof body === 'string' ? body : '',
            status: response.status,
            statusText: '',
            // As AxiosHeaders already: axios would otherwise build them twice (transformData, dispatchRequest).
            headers: new AxiosHeaders(headers),
            config,
          } as AxiosResponse;
          const validate = config.validateStatus;
          if (!validate || validate(response.status)) resolve(result);
          else
            reject(
              new AxiosError(
                `Request failed with status code ${response.status}`,
                response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
                config,
                undefined,
                result,
              ),
            );
        }, onNetworkError);
      }, onNetworkError);
    });
}

/** The middle layer: THE axios instance over the host's fetch (see the top of this file). */
export function createHttpClient(fetchFn: FetchLike, timers: Timers | null): AxiosInstance {
  return new axios.Axios({
    adapter: fetchAdapter(fetchFn, timers),
    validateStatus: () => true,
    // No transforms: the connector serializes the body once, and reads response bodies as text.
    transformRequest: [],
    transformResponse: [],
    maxRedirects: 0,
    headers: {},
  }) as AxiosInstance;
}

/** The top layer, host.http: one connector request through the client, every status answered. */
export function createHttpTransport(fetchFn: FetchLike, timers: Timers | null): HttpTransport {
  const client = createHttpClient(fetchFn, timers);
  return (request: HttpRequest): Promise<HttpResponse> =>
    client
      .request<string>({
        method: request.method,
        url: request.url,
        headers: request.headers,
        data: request.body,
        timeout: request.timeoutMs,
      })
      .then(
        (response) => ({
          status: response.status,
          headers: headersToRecord((response.headers as { toJSON(): unknown }).toJSON()),
          body: typeof response.data === 'string' ? response.data : '',
        }),
        (error: unknown) => {
          const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
          const message = error instanceof Error ? error.message : String(error);
          throw new HttpTransportError(
            typeof code === 'string' && code !== '' ? code : 'ECONNRESET',
            message,
          );
        },
      );
}
