/**
 * The parts of the tenant configuration schema that no destination type owns: the top level, the
 * keys every destination has, and auth (whose keys come from AUTH_FIELDS). build-schema.ts adds
 * each destination type's own keys from its definition; generate.ts writes the result into
 * connector.manifest.json, the config type and docs/configuration.md. Edit here, then run
 * `npx tsx cli/config/generate.ts`.
 */
import type { JsonSchema } from './schema';

/** Where a secret NAME (never a value) is expected. */
export const SECRET_NAME = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
} as const;

export const SECRET_NAME_NOTE = 'The NAME of a secret read with getSecret at run time, never the value.';

/** Who reads an auth key: a scheme, or one OAuth2 grant. */
export interface AuthOwner {
  scheme: 'apiKey' | 'bearer' | 'basic' | 'oauth2';
  grant?: 'client_credentials' | 'refresh_token' | 'jwt_bearer';
}

interface AuthField {
  /** Absent for the keys every scheme has (scheme itself). */
  owner?: AuthOwner;
  /** A secret name: the schema is SECRET_NAME and the description says so. */
  secret?: boolean;
  schema: JsonSchema & { description: string };
}

/**
 * Every auth key with the scheme (and grant) that reads it: validation refuses a key its scheme
 * does not read (auth-keys.ts), and the reference documents each under its owner.
 */
export const AUTH_FIELDS: Record<string, AuthField> = {
  scheme: {
    schema: { enum: ['apiKey', 'bearer', 'basic', 'oauth2'], description: 'Authentication scheme.' },
  },
  header: {
    owner: { scheme: 'apiKey' },
    schema: {
      type: 'string',
      minLength: 1,
      description: 'the header that carries the key, e.g. X-API-KEY or Authorization.',
    },
  },
  prefix: {
    owner: { scheme: 'apiKey' },
    schema: {
      type: 'string',
      default: '',
      description: 'text placed before the key, e.g. "Klaviyo-API-Key ".',
    },
  },
  secret: { owner: { scheme: 'apiKey' }, secret: true, schema: { description: 'the API key.' } },
  tokenSecret: { owner: { scheme: 'bearer' }, secret: true, schema: { description: 'the token.' } },
  usernameSecret: { owner: { scheme: 'basic' }, secret: true, schema: { description: 'the user name.' } },
  passwordSecret: { owner: { scheme: 'basic' }, secret: true, schema: { description: 'the password.' } },
  grant: {
    owner: { scheme: 'oauth2' },
    schema: { enum: ['client_credentials', 'refresh_token', 'jwt_bearer'], description: 'the grant type.' },
  },
  tokenUrl: {
    owner: { scheme: 'oauth2' },
    schema: { type: 'string', format: 'uri', description: 'the token endpoint.' },
  },
  clientIdSecret: { owner: { scheme: 'oauth2' }, secret: true, schema: { description: 'the client id.' } },
  clientSecretSecret: {
    owner: { scheme: 'oauth2' },
    secret: true,
    schema: { description: 'the client secret.' },
  },
  refreshTokenSecret: {
    owner: { scheme: 'oauth2', grant: 'refresh_token' },
    secret: true,
    schema: { description: 'the refresh token.' },
  },
  privateKeySecret: {
    owner: { scheme: 'oauth2', grant: 'jwt_bearer' },
    secret: true,
    schema: { description: 'the PEM RSA private key that signs the assertion (RS256).' },
  },
  scope: {
    owner: { scheme: 'oauth2' },
    schema: { type: 'string', description: 'requested scope, e.g. https://org.crm.dynamics.com/.default.' },
  },
  audience: {
    owner: { scheme: 'oauth2' },
    schema: {
      type: 'string',
      description: 'audience (client_credentials where the server needs it; jwt_bearer: the aud claim).',
    },
  },
  subject: {
    owner: { scheme: 'oauth2', grant: 'jwt_bearer' },
    schema: { type: 'string', description: 'the sub claim (e.g. the Salesforce user name).' },
  },
};

/** The schema without the per-type keys, the type list and the auth keys (build-schema.ts adds them). */
export function baseSchema(): JsonSchema {
  return JSON.parse(JSON.stringify(BASE)) as JsonSchema;
}

const BASE: unknown = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://thewalletcrew.io/schemas/wallet-status-connector/tenant.json',
  title: 'TenantConfig',
  description:
    "One tenant's configuration of the wallet install-status connector. Secrets are named, never written here.",
  type: 'object',
  required: ['tenantId', 'joinKey', 'destinations'],
  properties: {
    tenantId: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$',
      description: 'The Wallet Crew tenant id (also the dist/ folder name).',
    },
    environment: {
      enum: ['production', 'staging'],
      default: 'production',
      description: 'Which platform environment this tenant file is for.',
    },
    joinKey: {
      type: 'object',
      required: ['identifiers'],
      description: 'How an event is matched to one CRM record.',
      properties: {
        identifiers: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'string',
            minLength: 1,
          },
          uniqueItems: true,
          description: 'Pass identifier keys to try, in order; the first present one is the join key.',
        },
        normalizeEmail: {
          type: 'boolean',
          default: false,
          description: 'Trim and lowercase the join key (for email identifiers).',
        },
      },
      additionalProperties: false,
    },
    logLevel: {
      enum: ['error', 'warn', 'info', 'debug'],
      default: 'info',
      description: 'Lowest level written to the log.',
    },
    registrationCounts: {
      enum: ['auto', 'perWallet', 'perPass'],
      default: 'auto',
      description:
        'What the platform\'s activeRegistrationCount / totalRegistrationCount cover; its docs do not say. "auto": exact whether they count the event\'s wallet or the whole pass on both wallets, with several devices per wallet. "perWallet" / "perPass": trust that scope, which heals sooner after a lost event but is wrong if the platform counts the other way. See the README, "How the status stays exact".',
    },
    platform: {
      type: 'object',
      description: 'The Wallet Crew REST API, for backfill and insights (Node tools only).',
      properties: {
        baseUrl: {
          type: 'string',
          format: 'uri',
          default: 'https://app.neostore.cloud',
          description: 'https://app.neostore.cloud (production) or https://app-qa.neostore.cloud (staging).',
        },
        apiKeySecret: {
          type: 'string',
          minLength: 1,
          maxLength: 128,
          pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
          description:
            'The X-API-KEY for the Pass and Insights APIs. The NAME of a secret read with getSecret at run time, never the value.',
        },
        webhookSecret: {
          type: 'string',
          minLength: 1,
          maxLength: 128,
          pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
          description:
            'The webhook signatureSecret, for serve. The NAME of a secret read with getSecret at run time, never the value.',
        },
      },
      additionalProperties: false,
      default: {},
    },
    destinations: {
      type: 'array',
      minItems: 1,
      items: {
        $ref: '#/definitions/destination',
      },
      description: 'Where events go.',
    },
  },
  additionalProperties: false,
  definitions: {
    auth: {
      title: 'AuthConfig',
      type: 'object',
      description: 'How the connector authenticates to this destination. Every *Secret key names a secret.',
      required: ['scheme'],
      properties: {},
      additionalProperties: false,
      allOf: [
        {
          if: {
            properties: {
              scheme: {
                const: 'apiKey',
              },
            },
          },
          then: {
            required: ['header', 'secret'],
          },
        },
        {
          if: {
            properties: {
              scheme: {
                const: 'bearer',
              },
            },
          },
          then: {
            required: ['tokenSecret'],
          },
        },
        {
          if: {
            properties: {
              scheme: {
                const: 'basic',
              },
            },
          },
          then: {
            required: ['usernameSecret', 'passwordSecret'],
          },
        },
        {
          if: {
            properties: {
              scheme: {
                const: 'oauth2',
              },
            },
          },
          then: {
            required: ['grant', 'tokenUrl', 'clientIdSecret'],
          },
        },
        {
          if: {
            properties: {
              scheme: {
                const: 'oauth2',
              },
              grant: {
                const: 'client_credentials',
              },
            },
            required: ['grant'],
          },
          then: {
            required: ['clientSecretSecret'],
          },
        },
        {
          if: {
            properties: {
              scheme: {
                const: 'oauth2',
              },
              grant: {
                const: 'refresh_token',
              },
            },
            required: ['grant'],
          },
          then: {
            required: ['clientSecretSecret', 'refreshTokenSecret'],
          },
        },
        {
          if: {
            properties: {
              scheme: {
                const: 'oauth2',
              },
              grant: {
                const: 'jwt_bearer',
              },
            },
            required: ['grant'],
          },
          then: {
            required: ['privateKeySecret', 'subject', 'audience'],
          },
        },
      ],
    },
    destination: {
      title: 'DestinationConfig',
      type: 'object',
      required: ['id', 'type', 'baseUrl', 'auth'],
      properties: {
        id: {
          type: 'string',
          pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
          description:
            'Unique id of this destination within the tenant (lowercase letters, digits, - and _).',
        },
        type: {
          enum: [],
          description: 'Which CRM this is.',
        },
        baseUrl: {
          type: 'string',
          format: 'uri',
          pattern: '^https?://',
          description: 'API base URL (production, sandbox, EU host, or a local simulator).',
        },
        auth: {
          $ref: '#/definitions/auth',
        },
        allowInsecureHttp: {
          type: 'boolean',
          description:
            'Allow plain http:// for baseUrl and auth.tokenUrl when they name a private host (10/8, 172.16/12, 192.168/16, fc00::/7, a single-label name or .internal/.local/.lan...). Credentials then cross that network in clear: only on a network you trust. https is required otherwise, except to loopback (127.0.0.0/8, ::1, localhost).',
        },
        route: {
          title: 'RouteConfig',
          type: 'object',
          description: 'Which events this destination takes. A missing list means all.',
          properties: {
            passTypes: {
              type: 'array',
              items: {
                type: 'string',
                minLength: 1,
              },
              uniqueItems: true,
              description: 'Pass types (template names) to take.',
            },
            devices: {
              type: 'array',
              items: {
                enum: ['apple', 'google'],
              },
              uniqueItems: true,
              description: 'Wallets to take.',
            },
            events: {
              type: 'array',
              items: {
                enum: ['installed', 'uninstalled'],
              },
              uniqueItems: true,
              description: 'Event kinds to take.',
            },
          },
          additionalProperties: false,
          default: {},
        },
        readBack: {
          enum: ['auto', 'always', 'never'],
          default: 'auto',
          description:
            'After a write that is not conditional, read the record back and write again when another writer overwrote it. auto: only while this script instance has served a single hook call (a host that starts an instance per call); always; never (one writer per customer is certain).',
        },
        mode: {
          enum: ['readModifyWrite', 'writeOnly'],
          default: 'readModifyWrite',
          description:
            "readModifyWrite reads the current record, reduces and writes only real changes (exact status). writeOnly never reads: each event writes its own wallet's fields blindly.",
        },
        properties: {
          type: 'object',
          description:
            "CRM property name for each canonical field; missing ones take the destination type's default.",
          properties: {
            walletStatus: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
              description: 'CRM name of walletStatus.',
            },
            appleWalletInstalledAt: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
              description: 'CRM name of appleWalletInstalledAt.',
            },
            googleWalletInstalledAt: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
              description: 'CRM name of googleWalletInstalledAt.',
            },
            walletLastChangedAt: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
              description: 'CRM name of walletLastChangedAt.',
            },
            walletLastEvent: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
              description: 'CRM name of walletLastEvent.',
            },
            walletSyncState: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
              description: 'CRM name of walletSyncState.',
            },
          },
          additionalProperties: false,
        },
        rateLimit: {
          type: 'object',
          description:
            "Requests allowed per interval and at once; defaults come from the CRM's published limits.",
          properties: {
            requests: {
              type: 'integer',
              minimum: 1,
              description: 'Requests per interval.',
            },
            intervalMs: {
              type: 'integer',
              minimum: 1,
              description: 'Interval length in milliseconds.',
            },
            maxConcurrent: {
              type: 'integer',
              minimum: 1,
              description: 'Requests in flight at once.',
            },
          },
          additionalProperties: false,
        },
        batch: {
          type: 'object',
          description:
            'Micro-batching: events arriving within maxWaitMs are grouped up to maxSize records a request.',
          properties: {
            maxSize: {
              type: 'integer',
              minimum: 1,
              description: "Records a request (capped at the CRM's maximum).",
            },
            maxWaitMs: {
              type: 'integer',
              minimum: 0,
              maximum: 10000,
              description: 'How long the first event of a batch waits for others.',
            },
          },
          additionalProperties: false,
        },
        retry: {
          type: 'object',
          description: 'Retry policy for transient failures.',
          properties: {
            maxElapsedMs: {
              type: 'integer',
              minimum: 0,
              default: 25000,
              description:
                'Total time budget for one delivery; past it the hook rejects so the platform delivers again.',
            },
            maxAttempts: {
              type: 'integer',
              minimum: 1,
              maximum: 50,
              default: 8,
              description: 'Attempts per request, the first included.',
            },
            baseDelayMs: {
              type: 'integer',
              minimum: 1,
              default: 250,
              description: 'Backoff base (full jitter, doubling each attempt).',
            },
            maxDelayMs: {
              type: 'integer',
              minimum: 1,
              default: 10000,
              description: 'Backoff cap for one wait (Retry-After may ask for more, within the budget).',
            },
          },
          additionalProperties: false,
          default: {},
        },
        timeoutMs: {
          type: 'integer',
          minimum: 100,
          maximum: 120000,
          default: 10000,
          description: 'Per-request timeout.',
        },
        events: {
          type: 'boolean',
          default: false,
          description: 'Also send Pass Installed / Pass Uninstalled events where the CRM has an event API.',
        },
      },
      additionalProperties: false,
      allOf: [],
    },
  },
};
