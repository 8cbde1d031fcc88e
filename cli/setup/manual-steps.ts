/**
 * The exact steps to create a destination's fields by hand, for CRMs whose API cannot (Salesforce
 * custom fields, Dynamics columns) or need not (Braze, Klaviyo: free-form attributes). Each
 * destination type writes its own (`setupSteps` in its definition), from the resolved config, so
 * the names are the ones this tenant will write.
 */
import { destinationDefinitions } from '../../connector/destinations/registry';
import type { ResolvedDestination } from '../../connector/destinations/types';

export function manualSteps(d: ResolvedDestination): string[] {
  const definition = destinationDefinitions[d.type];
  return definition
    ? definition.setupSteps(d)
    : [`Create the fields listed in docs/destinations/${d.type}.md.`];
}
