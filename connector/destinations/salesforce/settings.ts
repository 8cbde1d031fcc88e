/** Salesforce's own settings, read and checked once at registration. */
import { apiVersion, checkNames, configurationError, propertyNames } from '../shared/settings';
import { isApiName } from './soql';
import type { DestinationContext, ResolvedDestination } from '../types';

export const DEFAULT_API_VERSION = 'v62.0';
export const DEFAULT_OBJECT = 'Contact';

export interface SalesforceSettings {
  version: string;
  object: string;
  keyField: string;
  /** The CRM names of the wallet fields. */
  fields: string[];
}

export type SalesforceContext = DestinationContext<SalesforceSettings>;

export function resolveSalesforce(config: ResolvedDestination): SalesforceSettings {
  const version = apiVersion(config, DEFAULT_API_VERSION, /^v\d+\.\d$/, 'v62.0');
  const object = config.raw.objectType || DEFAULT_OBJECT;
  const keyField = config.raw.externalIdField || '';
  if (!isApiName(keyField)) {
    throw configurationError(
      config,
      '"externalIdField" must be an External ID field API name such as Customer_Id__c',
    );
  }
  const fields = propertyNames(config);
  checkNames(config, [object].concat(fields), /^[A-Za-z][A-Za-z0-9_]*$/, 'Salesforce API name');
  return { version, object, keyField, fields };
}
