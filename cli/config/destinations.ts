/**
 * Every destination type as the CLI sees it: the runtime definition (connector/destinations/registry.ts)
 * with its description (`<type>/describe.ts`: tenant-file keys and their docs, setup steps,
 * test-auth, automated setup). The config schema, types and reference are generated from these
 * (generate.ts). Only the CLI imports this: the upload bundle carries the runtime definitions alone.
 */
import { brazeDescription } from '../../connector/destinations/braze/describe';
import { dynamicsDescription } from '../../connector/destinations/dynamics/describe';
import { httpDescription } from '../../connector/destinations/http/describe';
import { hubspotDescription } from '../../connector/destinations/hubspot/describe';
import { klaviyoDescription } from '../../connector/destinations/klaviyo/describe';
import { salesforceDescription } from '../../connector/destinations/salesforce/describe';
import type { DestinationDescription } from '../../connector/destinations/describe';

/** One line per type; the order is the order of the type list in the schema and the reference. */
export const destinationDescriptions: Record<string, DestinationDescription> = {
  hubspot: hubspotDescription as DestinationDescription,
  salesforce: salesforceDescription as DestinationDescription,
  braze: brazeDescription as DestinationDescription,
  klaviyo: klaviyoDescription as DestinationDescription,
  dynamics: dynamicsDescription as DestinationDescription,
  http: httpDescription as DestinationDescription,
};
