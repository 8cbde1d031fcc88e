/** Braze for the CLI: its tenant-file keys, setup steps and test-auth (an export of a made-up id). */
import { ConnectorError } from '../../delivery/errors';
import { describeDestination, eventNamesField } from '../describe';
import { field } from '../shared/json';
import type { DestinationContext } from '../types';
import { brazeDestination } from './definition';
import { AUTH_CHECK_ID, exportIds } from './users';

async function checkExport(ctx: DestinationContext): Promise<string> {
  const response = await exportIds(ctx, [AUTH_CHECK_ID], ['external_id']);
  if (field(response.json, 'message') !== 'success') {
    throw new ConnectorError('permanent', `/users/export/ids answered ${response.status} without success`, {
      destination: ctx.config.id,
    });
  }
  return (
    'credentials accepted: the key can export users (users.export.ids); custom attributes need no setup. ' +
    'users.track is proven by the first write (Braze has no read-only check for it)'
  );
}

export const brazeDescription = describeDestination(brazeDestination, {
  label: 'Braze',
  docs: 'docs/destinations/braze.md',
  authSchemes: ['bearer'],
  fields: {
    eventNames: eventNamesField('the custom event names (default "Pass Installed" / "Pass Uninstalled")'),
  },
  setupSteps: () => [
    'Nothing to create: Braze custom attributes are created on first write.',
    'Create a REST API key with the permissions users.track and users.export.ids (Settings > APIs and Identifiers).',
  ],
  testAuth: checkExport,
});
