/** Klaviyo for the CLI: its tenant-file keys, setup steps and test-auth (one profile read). */
import { describeDestination, eventNamesField } from '../describe';
import { klaviyoDestination } from './definition';
import { DEFAULT_REVISION, headers } from './wire';

export const klaviyoDescription = describeDestination(klaviyoDestination, {
  label: 'Klaviyo',
  docs: 'docs/destinations/klaviyo.md',
  authSchemes: ['apiKey', 'oauth2'],
  grants: ['refresh_token'],
  fields: {
    idProperty: {
      schema: {
        type: 'string',
        minLength: 1,
        default: 'external_id',
        description: 'the profile attribute that holds the join key: external_id, email or phone_number',
      },
    },
    apiVersion: {
      schema: { type: 'string', default: DEFAULT_REVISION, description: 'the API revision (YYYY-MM-DD)' },
    },
    eventNames: eventNamesField(
      'the metric names of the events (default "Pass Installed" / "Pass Uninstalled")',
    ),
  },
  setupSteps: () => [
    'Nothing to create: Klaviyo profile properties are created on first write.',
    'Create a private API key with profiles:read, profiles:write (and events:write when events is on).',
  ],
  async testAuth(ctx) {
    const attribute = ctx.settings.identifier;
    await ctx.send({
      method: 'GET',
      path: '/api/profiles',
      query: { 'fields[profile]': attribute, 'page[size]': '1' },
      headers: headers(ctx, false),
    });
    // Profile properties are free-form in Klaviyo: there is nothing to create or check.
    return `credentials accepted (profiles:read); profiles matched by ${attribute}; properties need no setup`;
  },
});
