/**
 * Every destination type built into the connector. The build includes only the types a tenant
 * uses (see cli/build), so one tenant's bundle carries no other CRM's code.
 */
import { httpDestination } from './http/definition';
import { hubspotDestination } from './hubspot/definition';
import { klaviyoDestination } from './klaviyo/definition';
import type { DestinationDefinition } from './types';

export const destinationDefinitions: Record<string, DestinationDefinition> = {
  http: httpDestination,
  hubspot: hubspotDestination,
  klaviyo: klaviyoDestination,
};
