/**
 * The exact steps to create a destination's fields by hand, for CRMs whose API cannot (Salesforce
 * custom fields, Dynamics columns) or need not (Braze, Klaviyo: free-form attributes). Each
 * destination type writes its own (`setupSteps` in its describe.ts), from the resolved config, so
 * the names are the ones this tenant will write.
 */
import { destinationDescriptions } from '../config/destinations';
import type { ResolvedDestination } from '../../connector/destinations/types';

export function manualSteps(d: ResolvedDestination): string[] {
  const description = destinationDescriptions[d.type];
  return description
    ? description.setupSteps(d)
    : [`Create the fields listed in docs/destinations/${d.type}.md.`];
}
