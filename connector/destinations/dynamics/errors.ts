/** Dataverse's answers for a column or key that does not exist: a setup problem, not bad data. */
import { ConnectorError } from '../../delivery/errors';
import { readGenericError, type ErrorReading, type ResponseInput } from '../../delivery/classify';
import { field, obj, said, str } from '../shared/json';
import type { DestinationResponse } from '../types';

const MISSING =
  /property named|does not exist on type|not a valid (alternate )?key|key .* not (found|defined)/i;

/** DestinationDefinition.readError: OData's { error: { code, message } }. */
export function readDynamicsError(input: ResponseInput): ErrorReading {
  const error = obj(field(input.json, 'error'));
  if (!error) return readGenericError(input);
  return { message: said(error, 'message'), code: said(error, 'code') };
}

export function classifyDynamics(response: DestinationResponse, destination: string): ConnectorError | null {
  const error = obj(field(response.json, 'error'));
  if (response.status !== 400 || !error) return null;
  const message = str(error, 'message').slice(0, 200);
  if (!MISSING.test(message)) return null;
  const code = str(error, 'code');
  return new ConnectorError(
    'configuration',
    `"${message}" (${code || 'undefined'}): create the column or alternate key (see docs/destinations/dynamics.md), or fix properties / externalIdField`,
    { destination, status: 400, vendorCode: code || undefined },
  );
}
