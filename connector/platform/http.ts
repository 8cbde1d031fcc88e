/**
 * HTTP over whatever `fetch` the host lends, and the axios adapter built on it.
 *
 * The upload bundle carries none of axios's own adapters (its fetch adapter uses async generators,
 * its xhr adapter needs XMLHttpRequest); every request goes through `createHttpTransport`, so the
 * same code runs on NiL.JS and in Node (Node's fetch).
 */
import axios, { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse } from 'axios';
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
  transient = true;
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
  request: HttpRequest,
  response: FetchResponseLike,
  headers: Record<string, string>,
): string | null {
  if (REDIRECT_STATUSES.indexOf(response.status) >= 0 && headers.location !== undefined)
    return locationHost(headers.location, request.url);
  const finalUrl = typeof response.url === 'string' ? response.url : '';
  const moved = finalUrl !== '' && originOf(finalUrl) !== originOf(request.url);
  if (response.redirected === true || moved) return locationHost(finalUrl, request.url);
  return null;
}

/** Method and URL without its query string: queries may carry API keys, and messages get logged. */
function describe(request: HttpRequest): string {
  const q = request.url.indexOf('?');
  return `${request.method} ${q < 0 ? request.url : request.url.slice(0, q)}`;
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

export function createHttpTransport(fetchFn: FetchLike, timers: Timers | null): HttpTransport {
  return (request: HttpRequest): Promise<HttpResponse> =>
    new Promise<HttpResponse>((resolve, reject) => {
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
        if (settle()) reject(new HttpTransportError(code, message));
      };

      // Without timers no timeout can be enforced here: the host's fetch is then the only bound.
      if (timers && request.timeoutMs > 0) {
        timer = timers.setTimeout(() => {
          fail('ETIMEDOUT', `${describe(request)} timed out after ${request.timeoutMs} ms`);
          if (controller) controller.abort();
        }, request.timeoutMs);
      }

      const onNetworkError = (error: unknown): void =>
        fail(networkCode(error), `${describe(request)} failed: no response (${networkCode(error)})`);

      let pending: PromiseLike<FetchResponseLike>;
      try {
        pending = fetchFn(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
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
        const status = response.status;
        const headers = headersToRecord(response.headers);
        const redirectedTo = redirectSeen(request, response, headers);
        if (redirectedTo !== null) {
          fail(REDIRECT_CODE, `${describe(request)} was redirected to host ${redirectedTo}`);
          if (controller) controller.abort();
          return;
        }
        awaitHost(response.text(), Promise).then((body) => {
          if (settle()) resolve({ status, headers, body: typeof body === 'string' ? body : '' });
        }, onNetworkError);
      }, onNetworkError);
    });
}

function plainHeaders(headers: unknown): Record<string, string> {
  const json = AxiosHeaders.from(headers as never).toJSON() as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const name of Object.keys(json)) {
    const value = json[name];
    if (value === undefined || value === null || value === false) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * An axios adapter over a transport. It resolves with every response (status checks belong to
 * `validateStatus`, as in axios's own adapters) and rejects with an AxiosError carrying the
 * transport's code when no response came.
 */
export function axiosAdapterFor(transport: HttpTransport, defaultTimeoutMs = 0): AxiosAdapter {
  return (config) => {
    const method = String(config.method || 'get').toUpperCase();
    if (METHODS.indexOf(method) < 0) {
      return Promise.reject(new AxiosError(`Unsupported method ${method}`, 'ERR_BAD_OPTION', config));
    }
    const data = config.data;
    const request: HttpRequest = {
      method: method as HttpRequest['method'],
      url: axios.getUri(config),
      headers: plainHeaders(config.headers),
      body:
        data === undefined || data === null
          ? undefined
          : typeof data === 'string'
            ? data
            : JSON.stringify(data),
      timeoutMs: config.timeout && config.timeout > 0 ? config.timeout : defaultTimeoutMs,
    };
    return transport(request).then(
      (response) => {
        const result: AxiosResponse = {
          data: response.body,
          status: response.status,
          statusText: '',
          headers: AxiosHeaders.from(response.headers),
          config,
          request: undefined,
        };
        const validate = config.validateStatus;
        if (!validate || validate(response.status)) return result;
        throw new AxiosError(
          `Request failed with status code ${response.status}`,
          response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
          config,
          undefined,
          result,
        );
      },
      (error: unknown) => {
        const code = error instanceof HttpTransportError ? error.code : networkCode(error);
        const message = error instanceof Error ? error.message : String(error);
        throw new AxiosError(message, code, config);
      },
    );
  };
}

/**
 * The HttpTransport the connector uses: an axios instance whose only adapter is the fetch
 * transport above. axios gives header normalization and URL handling; every status comes back as
 * a response (the connector classifies statuses itself), and the body stays raw text.
 */
export function createAxiosTransport(fetchTransport: HttpTransport): HttpTransport {
  const client = axios.create({
    adapter: axiosAdapterFor(fetchTransport),
    validateStatus: () => true,
    transformResponse: [(data: unknown) => data],
    maxRedirects: 0,
  });
  return (request: HttpRequest): Promise<HttpResponse> =>
    client
      .request({
        method: request.method,
        url: request.url,
        headers: request.headers,
        data: request.body,
        timeout: request.timeoutMs,
        // The body is already serialized: axios must not transform it again.
        transformRequest: [(data: unknown) => data],
      })
      .then(
        (response) => ({
          status: response.status,
          headers: headersToRecord(plainHeaders(response.headers)),
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
