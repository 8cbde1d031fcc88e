/** The http destination for the CLI: its tenant-file keys, what the API must answer, and test-auth. */
import { describeDestination } from '../describe';
import { httpDestination, type HttpSettings } from './definition';
import { fillPath } from './path';

export const httpDescription = describeDestination(httpDestination, {
  label: 'Any HTTP API',
  docs: 'docs/configuration.md',
  authSchemes: ['apiKey', 'bearer', 'basic', 'oauth2'],
  grants: ['client_credentials', 'refresh_token', 'jwt_bearer'],
  fields: {
    method: {
      schema: { enum: ['POST', 'PUT', 'PATCH'], default: 'POST', description: 'the write method' },
    },
    path: {
      required: true,
      schema: {
        type: 'string',
        pattern: '^/',
        description: 'the write path template, e.g. /customers/{joinKey}; values are URL-encoded',
      },
    },
    readPath: {
      schema: {
        type: 'string',
        pattern: '^/',
        description: 'the read path template (GET) for readModifyWrite; defaults to path',
      },
    },
    headers: {
      schema: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'extra request headers (non-secret values only; put credentials in auth)',
      },
    },
    template: {
      schema: {
        description:
          'the payload template (json-e), evaluated on { event, events, state, fields, tenantId }. Without it the payload is the CRM fields plus the event',
      },
    },
  },
  setupSteps: (config) => {
    const s = config.settings as HttpSettings;
    return [
      `Nothing to create in the connector's terms: your API must answer GET ${s.readPath} with the stored record (404 when none)`,
      `and accept ${s.method} ${s.path} with the payload (see docs/configuration.md).`,
    ];
  },
  async testAuth(ctx) {
    const path = fillPath(ctx.settings.readPath, {
      joinKey: 'twc-connector-auth-check',
      tenantId: ctx.tenantId,
    });
    const response = await ctx.send({ method: 'GET', path, acceptStatuses: [404] });
    return `GET ${path} answered ${response.status}: credentials accepted`;
  },
});
