/** Dynamics' own settings, read and checked once at registration. */
import { apiVersion, checkNames, configurationError, propertyNames } from '../shared/settings';
import { isIdentifier } from './odata';
import type { DestinationContext, ResolvedDestination } from '../types';

export const DEFAULT_API_VERSION = 'v9.2';
export const DEFAULT_ENTITY_SET = 'contacts';

export interface DynamicsSettings {
  /** /api/data/v9.2 */
  root: string;
  /** /api/data/v9.2/contacts */
  base: string;
  entitySet: string;
  keyField: string;
  columns: string[];
}

export type DynamicsContext = DestinationContext<DynamicsSettings>;

export function resolveDynamics(config: ResolvedDestination): DynamicsSettings {
  const version = apiVersion(config, DEFAULT_API_VERSION, /^v\d+\.\d+$/, 'v9.2');
  const entitySet = config.raw.objectType || DEFAULT_ENTITY_SET;
  const keyField = config.raw.externalIdField || '';
  if (!isIdentifier(keyField)) {
    throw configurationError(
      config,
      '"externalIdField" must be the alternate key column, e.g. twc_customerid',
    );
  }
  const columns = propertyNames(config);
  checkNames(config, [entitySet].concat(columns), /^[A-Za-z_][A-Za-z0-9_]*$/, 'Dataverse logical name');
  return {
    root: `/api/data/${version}`,
    base: `/api/data/${version}/${entitySet}`,
    entitySet,
    keyField,
    columns,
  };
}
