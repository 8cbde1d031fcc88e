/**
 * Klaviyo's JSON:API errors, read beyond the generic rules: a refused `revision` is a
 * configuration fix (apiVersion), a 401/403 says which of key or scope is wrong. 429 + Retry-After
 * is read by delivery/classify.
 */
import { readGenericError, type ErrorReading, type ResponseInput } from '../../delivery/classify';
import { ConnectorError } from '../../delivery/errors';
import { said } from '../shared/json';
import type { DestinationResponse } from '../types';

type Json = Record<string, unknown>;

function firstError(body: unknown): Json | null {
  const errors = body !== null && typeof body === 'object' ? (body as Json).errors : undefined;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  return first !== null && typeof first === 'object' ? (first as Json) : null;
}

/** DestinationDefinition.readError: JSON:API's { errors: [{ code, title, detail }] }. */
export function readKlaviyoError(input: ResponseInput): ErrorReading {
  const first = firstError(input.json);
  if (!first) return readGenericError(input);
  return { message: said(first, 'detail') ?? said(first, 'title'), code: said(first, 'code') };
}

export function classifyKlaviyoError(
  response: DestinationResponse,
  destination: string,
): ConnectorError | null {
  const first = firstError(response.json);
  if (!first) return null;
  const code = typeof first.code === 'string' ? first.code : undefined;
  const detail = typeof first.detail === 'string' ? first.detail.slice(0, 300) : '';
  const source = first.source !== null && typeof first.source === 'object' ? (first.source as Json) : {};
  const details = { destination, status: response.status, vendorCode: code };
  if (response.status === 400 && source.parameter === 'revision') {
    return new ConnectorError(
      'configuration',
      `Klaviyo refused the API revision: "${detail}"; set "apiVersion" to a supported revision (YYYY-MM-DD)`,
      details,
    );
  }
  if (response.status === 401) {
    return new ConnectorError(
      'authentication',
      `Klaviyo rejected the credentials: "${detail}"; a private key goes in Authorization with the prefix "Klaviyo-API-Key "`,
      details,
    );
  }
  if (response.status === 403) {
    return new ConnectorError(
      'authentication',
      `Klaviyo denied access: "${detail}"; the key needs profiles:read, profiles:write (and events:write for events)`,
      details,
    );
  }
  return null;
}
