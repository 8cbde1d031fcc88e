/**
 * Every destination type built into the connector. The build includes only the types a tenant
 * uses (see cli/build), so one tenant's bundle carries no other CRM's code.
 */
import { httpDestination } from './http/definition';
import { salesforceDestination } from './salesforce/definition';
import { dynamicsDestination } from './dynamics/definition';
import { brazeDestination } from './braze/definition';
import { hubspotDestination } from './hubspot/definition';
import { klaviyoDestination } from './klaviyo/definition';
import type { DestinationDefinition } from './types';

export const destinationDefinitions: Record<string, DestinationDefinition> = {
  http: httpDestination,
  salesforce: salesforceDestination,
  dynamics: dynamicsDestination,
  braze: brazeDestination,
  hubspot: hubspotDestination,
  klaviyo: klaviyoDestination,
};
