// The JSON schema of Portcullis settings (each key: docs/configuration.md). It checks shape only; the rules
// that span fields (duplicate ids and ports, URLs, regexes, provider references) live in
// validate.ts. Unknown keys are errors everywhere, so a typo never silently does nothing.
import { CURRENT_CONFIG_VERSION } from './defaults.ts';

const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';

const id = { type: 'string', pattern: ID_PATTERN } as const;
const text = { type: 'string', maxLength: 4096 } as const;
const nonEmptyText = { type: 'string', minLength: 1, maxLength: 4096 } as const;
const textList = { type: 'array', items: text, maxItems: 1000 } as const;
const port = { type: 'integer', minimum: 0, maximum: 65535 } as const;

// A secret is a literal, `{ env }` or `{ secretRef }`. Kept as one object shape (not oneOf)
// so that mistakes produce one precise error instead of one per alternative.
const secret = {
  type: ['string', 'object'],
  maxLength: 4096,
  properties: { env: text, secretRef: text },
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
} as const;

const providerCommon = { id, name: text } as const;

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://portcullis.invalid/config.schema.json',
  type: 'object',
  additionalProperties: false,
  required: ['upstreams', 'providers'],
  properties: {
    version: { type: 'integer', minimum: 0, maximum: CURRENT_CONFIG_VERSION },
    upstreams: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'listen', 'target'],
        properties: {
          id,
          name: text,
          enabled: { type: 'boolean' },
          listen: {
            type: 'object',
            additionalProperties: false,
            required: ['host', 'port'],
            properties: { host: { type: 'string', minLength: 1, maxLength: 255 }, port },
          },
          target: nonEmptyText,
          provider: id,
          allowedGroups: textList,
          allowedEmails: textList,
          emailDomains: textList,
          skipAuthRoutes: textList,
          apiRoutes: textList,
          passUserHeaders: { type: 'boolean' },
          passAccessToken: { type: 'boolean' },
          passAuthorizationHeader: { type: 'boolean' },
          setXAuthRequest: { type: 'boolean' },
          websockets: { type: 'boolean' },
          redirectOrigins: textList,
          allowNonLoopback: { type: 'boolean' },
        },
      },
    },
    providers: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        required: ['type'],
        properties: { type: { type: 'string' } },
        discriminator: { propertyName: 'type' },
        oneOf: [
          {
            additionalProperties: false,
            required: ['id', 'type'],
            properties: { ...providerCommon, type: { const: 'builtin' } },
          },
          {
            additionalProperties: false,
            required: ['id', 'type', 'issuer', 'clientId'],
            properties: {
              ...providerCommon,
              type: { const: 'oidc' },
              issuer: nonEmptyText,
              clientId: nonEmptyText,
              clientSecret: secret,
              scopes: textList,
              groupsClaim: nonEmptyText,
              authParams: { type: 'object', additionalProperties: text, maxProperties: 100 },
            },
          },
          {
            additionalProperties: false,
            required: ['id', 'type', 'clientId'],
            properties: {
              ...providerCommon,
              type: { const: 'github' },
              clientId: nonEmptyText,
              clientSecret: secret,
              org: nonEmptyText,
              team: nonEmptyText,
              baseUrl: nonEmptyText,
              apiUrl: nonEmptyText,
            },
          },
        ],
      },
    },
    builtinIdp: {
      type: 'object',
      additionalProperties: false,
      properties: {
        port,
        users: {
          type: 'array',
          maxItems: 200,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['username', 'email'],
            properties: {
              username: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$' },
              email: nonEmptyText,
              name: text,
              groups: textList,
            },
          },
        },
      },
    },
    console: {
      type: 'object',
      additionalProperties: false,
      required: ['port'],
      properties: { port },
    },
  },
} as const;

/** Words for the id rule, used in error messages. */
export const ID_RULE = '1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';
