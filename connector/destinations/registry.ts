/**
 * Every destination type built into the connector. The build includes only the types a tenant
 * uses (see cli/build), so one tenant's bundle carries no other CRM's code. The config schema,
 * types and reference are generated from these (cli/config/generate.ts).
 */
import { httpDestination } from './http/definition';
import { salesforceDestination } from './salesforce/definition';
import { dynamicsDestination } from './dynamics/definition';
import { brazeDestination } from './braze/definition';
import { hubspotDestination } from './hubspot/definition';
import { klaviyoDestination } from './klaviyo/definition';
import type { DestinationDefinition } from './types';

/** One line per type; the order is the order of the type list in the schema and the reference. */
export const destinationDefinitions: Record<string, DestinationDefinition> = {
  hubspot: hubspotDestination,
  salesforce: salesforceDestination,
  braze: brazeDestination,
  klaviyo: klaviyoDestination,
  dynamics: dynamicsDestination,
  http: httpDestination,
};
