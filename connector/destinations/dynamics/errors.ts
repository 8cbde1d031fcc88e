/** Dataverse's answers for a column or key that does not exist: a setup problem, not bad data. */
import { ConnectorError } from '../../delivery/errors';
import { field, obj, str } from '../shared/json';
import type { DestinationResponse } from '../types';

const MISSING =
  /property named|does not exist on type|not a valid (alternate )?key|key .* not (found|defined)/i;

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
