/**
 * Salesforce error reading: the whole-request envelope `[{ message, errorCode, fields }]` and the
 * per-record errors of an sObject Collections answer `{ success, errors: [{ statusCode, message }] }`.
 */
import { ConnectorError, type ErrorKind } from '../../delivery/errors';
import { readGenericError, type ErrorReading, type ResponseInput } from '../../delivery/classify';
import { said, short as oneLine, str } from '../shared/json';
import { recordFailure, writeConflict } from '../shared/outcomes';
import type { DestinationResponse, ItemOutcome } from '../types';

/** When the org's rolling 24 h allocation is used up, waiting seconds does not help: pause longer. */
const DAILY_LIMIT_PAUSE_MS = 5 * 60 * 1000;
const MAX_TEXT = 200;

export interface SalesforceError {
  code: string;
  message: string;
}

const short = (text: string): string => oneLine(text, MAX_TEXT);

/** The first error of a list (whole-request envelope, or a record's `errors`). */
export function firstError(list: unknown): SalesforceError | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const first: unknown = list[0];
  const code = str(first, 'errorCode') || str(first, 'statusCode');
  return code || str(first, 'message') ? { code, message: short(str(first, 'message')) } : null;
}

/** What a per-record error means for that record. */
export function recordErrorKind(code: string): { kind: ErrorKind; vendorCode: string; hint: string } {
  switch (code) {
    case 'UNABLE_TO_LOCK_ROW':
      return { kind: 'transient', vendorCode: code, hint: 'another process held the record lock' };
    case 'REQUEST_LIMIT_EXCEEDED':
      return { kind: 'throttled', vendorCode: code, hint: 'API limit reached' };
    case 'DUPLICATE_EXTERNAL_ID':
      return {
        kind: 'permanent',
        vendorCode: code,
        hint: 'several records share this external ID: merge them, or make the field Unique',
      };
    case 'DUPLICATE_VALUE':
      // Usually a race with another writer creating the same key: read again and write once more.
      return { kind: 'transient', vendorCode: 'conflict', hint: 'created concurrently by another writer' };
    case 'INVALID_FIELD':
    case 'INVALID_FIELD_FOR_INSERT_UPDATE':
      return {
        kind: 'permanent',
        vendorCode: code,
        hint: 'check the field exists and the integration user has field-level security on it',
      };
    default:
      return { kind: 'permanent', vendorCode: code || 'UNKNOWN', hint: '' };
  }
}

export function recordError(errors: unknown, destination: string): ConnectorError {
  const first = firstError(errors);
  const code = first ? first.code : '';
  const meaning = recordErrorKind(code);
  const said = first && first.message ? `"${first.message}"` : 'no message';
  const hint = meaning.hint ? `: ${meaning.hint}` : '';
  return new ConnectorError(
    meaning.kind,
    `Salesforce refused the record: ${said} (${code || 'no code'})${hint}`,
    {
      destination,
      vendorCode: meaning.vendorCode,
    },
  );
}

/** DestinationDefinition.readError: the whole-request envelope [{ message, errorCode, fields }]. */
export function readSalesforceError(input: ResponseInput): ErrorReading {
  if (!Array.isArray(input.json)) return readGenericError(input);
  const first: unknown = input.json[0];
  return { message: said(first, 'message'), code: said(first, 'errorCode') };
}

/** DestinationDefinition.classifyError: the Salesforce signals the generic rules would misread. */
export function classifySalesforce(
  response: DestinationResponse,
  destination: string,
): ConnectorError | null {
  const status = response.status;
  if (status === 300) {
    return new ConnectorError(
      'permanent',
      'the external ID matches several records (HTTP 300 Multiple Choices): merge them, or make the field Unique',
      { destination, status, vendorCode: 'MULTIPLE_CHOICES' },
    );
  }
  const first = firstError(response.json);
  if (!first) return null;
  const said = first.message ? ` "${first.message}"` : '';
  if (first.code === 'REQUEST_LIMIT_EXCEEDED') {
    // No 429, no Retry-After: the message tells the daily allocation from the concurrency limit.
    const daily = /TotalRequests/i.test(first.message);
    return new ConnectorError(
      'throttled',
      daily
        ? `org's daily API allocation used up${said}; pausing, the platform will deliver again`
        : `API limit reached${said}`,
      { destination, status, vendorCode: first.code, retryAfterMs: daily ? DAILY_LIMIT_PAUSE_MS : undefined },
    );
  }
  if (first.code === 'INVALID_SESSION_ID') {
    return new ConnectorError('authentication', `session expired or invalid${said}`, {
      destination,
      status,
      vendorCode: first.code,
    });
  }
  if (first.code === 'INVALID_FIELD' || first.code === 'INVALID_TYPE' || first.code === 'NOT_FOUND') {
    return new ConnectorError(
      'configuration',
      `${first.code}${said}: check objectType, externalIdField and properties exist, and the integration user has field-level security on them`,
      { destination, status, vendorCode: first.code },
    );
  }
  if (first.code === 'UNABLE_TO_LOCK_ROW') {
    return new ConnectorError('transient', `record locked by another process${said}`, {
      destination,
      status,
      vendorCode: first.code,
    });
  }
  return null;
}

/** A record the upsert refused: a create race is a write conflict (read and write again). */
export function recordRefusal(key: string, errors: unknown, destination: string): ItemOutcome {
  const first = firstError(errors);
  if (first && first.code === 'DUPLICATE_VALUE')
    return writeConflict(key, 'created concurrently by another writer');
  return recordFailure(key, recordError(errors, destination));
}
