/** HubSpot for the CLI: its tenant-file keys, setup-crm (properties by API) and test-auth. */
import { ConnectorError } from '../../delivery/errors';
import { describeDestination, eventNamesField } from '../describe';
import { hubspotDestination } from './definition';
import { readProperties, setupHubSpotCrm, PROPERTY_GROUP } from './describe-setup';
import { idPropertyOf, mappedNames } from './properties';

export const hubspotDescription = describeDestination(hubspotDestination, {
  label: 'HubSpot',
  docs: 'docs/destinations/hubspot.md',
  authSchemes: ['bearer', 'oauth2'],
  grants: ['refresh_token'],
  fields: {
    idProperty: {
      required: true,
      schema: {
        type: 'string',
        minLength: 1,
        description: 'the unique contact property that holds the join key (e.g. customer_id or email)',
      },
    },
    eventNames: eventNamesField(
      'the internal names of your custom event definitions, e.g. pe12345_pass_installed (default pass_installed / pass_uninstalled)',
    ),
  },
  setupSteps: () => [
    'Nothing to create by hand: setup-crm creates the contact properties (and their group) by API.',
    'Create a private app with the scopes crm.objects.contacts.read, crm.objects.contacts.write and crm.schemas.contacts.write (analytics.behavioral_events.send for events).',
  ],
  async setup(ctx) {
    const report = await setupHubSpotCrm(ctx);
    return [
      report.groupCreated
        ? `created property group ${PROPERTY_GROUP.name}`
        : `property group ${PROPERTY_GROUP.name} exists`,
      report.created.length ? `created properties: ${report.created.join(', ')}` : 'no property to create',
      report.existing.length ? `already there: ${report.existing.join(', ')}` : 'none existed before',
    ];
  },
  async testAuth(ctx) {
    const idProperty = idPropertyOf(ctx);
    const names = mappedNames(ctx);
    if (names.indexOf(idProperty) < 0) names.push(idProperty);
    const found = await readProperties(ctx, names);
    const missing = names.filter((name) => !found[name]);
    if (missing.length > 0) {
      throw new ConnectorError(
        'configuration',
        `token accepted, but contact propert${missing.length > 1 ? 'ies' : 'y'} ${missing.join(', ')} missing: run twc-connector setup-crm or fix "properties"/"idProperty"`,
        { destination: ctx.config.id },
      );
    }
    const id = found[idProperty];
    if (id && !id.hasUniqueValue && idProperty !== 'email') {
      throw new ConnectorError(
        'configuration',
        `token accepted, but ${idProperty} is not a unique property (hasUniqueValue): batch upsert needs one`,
        { destination: ctx.config.id },
      );
    }
    return `token accepted; ${names.length} contact properties present; upserts by ${idProperty}`;
  },
});
