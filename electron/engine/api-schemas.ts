// JSON schemas of the ControlApi's request bodies, checked by both transports (the console's
// HTTP routes and the desktop's IPC handlers) so that both refuse a bad body alike. The engine
// validates settings again; these reject wrong types and unknown fields at the door, naming
// the JSON path of the bad field.
import { Ajv, type ErrorObject } from 'ajv';
import { ApiError } from './api.ts';
import { CONFIG_SCHEMA } from './config/schema.ts';

const strings = { type: 'array', items: { type: 'string', maxLength: 2048 }, maxItems: 1000 } as const;
const id = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' } as const;
const secret = {
  anyOf: [
    { type: 'string' },
    { type: 'object', additionalProperties: false, required: ['env'], properties: { env: { type: 'string', minLength: 1 } } },
    { type: 'object', additionalProperties: false, required: ['secretRef'], properties: { secretRef: { type: 'string', minLength: 1 } } },
  ],
} as const;

// An upstream body has the shape of an upstream in the settings file, checked by the same schema.
const upstream = CONFIG_SCHEMA.properties.upstreams.items;

const providerCommon = { id, name: { type: 'string', maxLength: 200 }, clientSecretValue: { type: 'string', maxLength: 4096 } };
const providers = {
  builtin: {
    type: 'object', additionalProperties: false, required: ['id', 'type'],
    properties: { ...providerCommon, type: { const: 'builtin' } },
  },
  oidc: {
    type: 'object', additionalProperties: false, required: ['id', 'type', 'issuer', 'clientId'],
    properties: {
      ...providerCommon,
      type: { const: 'oidc' },
      issuer: { type: 'string', minLength: 1, maxLength: 2048 },
      clientId: { type: 'string', minLength: 1, maxLength: 512 },
      clientSecret: secret,
      scopes: strings,
      groupsClaim: { type: 'string', maxLength: 200 },
      authParams: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  github: {
    type: 'object', additionalProperties: false, required: ['id', 'type', 'clientId'],
    properties: {
      ...providerCommon,
      type: { const: 'github' },
      clientId: { type: 'string', minLength: 1, maxLength: 512 },
      clientSecret: secret,
      org: { type: 'string', maxLength: 200 },
      team: { type: 'string', maxLength: 200 },
      baseUrl: { type: 'string', maxLength: 2048 },
      apiUrl: { type: 'string', maxLength: 2048 },
    },
  },
} as const;

const personas = {
  type: 'object', additionalProperties: false, required: ['users'],
  properties: {
    users: {
      type: 'array', maxItems: 500,
      items: {
        type: 'object', additionalProperties: false, required: ['username', 'email', 'name', 'groups'],
        properties: {
          username: { type: 'string', minLength: 1, maxLength: 200 },
          email: { type: 'string', maxLength: 320 },
          name: { type: 'string', maxLength: 200 },
          groups: strings,
        },
      },
    },
  },
} as const;

const simulation = { type: 'object', additionalProperties: false, required: ['groups'], properties: { groups: strings } } as const;

const checkPort = {
  type: 'object', additionalProperties: false, required: ['host', 'port'],
  properties: { host: { type: 'string', minLength: 1, maxLength: 255 }, port: { type: 'integer', minimum: 1, maximum: 65535 }, upstreamId: id },
} as const;
const checkTarget = { type: 'object', additionalProperties: false, required: ['target'], properties: { target: { type: 'string', maxLength: 2048 } } } as const;
const checkIssuer = { type: 'object', additionalProperties: false, required: ['issuer'], properties: { issuer: { type: 'string', maxLength: 2048 } } } as const;
const checkRoute = {
  type: 'object', additionalProperties: false, required: ['upstreamId', 'method', 'path'],
  properties: { upstreamId: id, method: { type: 'string', pattern: '^[A-Za-z]{1,16}$' }, path: { type: 'string', maxLength: 2048 } },
} as const;
const checkHeaders = { type: 'object', additionalProperties: false, required: ['upstreamId'], properties: { upstreamId: id, sessionId: { type: 'string', maxLength: 200 } } } as const;

const explain = {
  type: 'object', additionalProperties: false, required: ['upstream', 'method', 'path'],
  properties: {
    upstream: id,
    method: { type: 'string', pattern: '^[A-Za-z]{1,16}$' },
    path: { type: 'string', minLength: 1, maxLength: 2048 },
    persona: { type: 'string', minLength: 1, maxLength: 264 },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true });
const compile = (schema: object) => ajv.compile(schema);

export const validators = {
  upstream: compile(upstream),
  provider: {
    builtin: compile(providers.builtin),
    oidc: compile(providers.oidc),
    github: compile(providers.github),
  },
  personas: compile(personas),
  simulation: compile(simulation),
  checkPort: compile(checkPort),
  checkTarget: compile(checkTarget),
  checkIssuer: compile(checkIssuer),
  checkRoute: compile(checkRoute),
  checkHeaders: compile(checkHeaders),
  explain: compile(explain),
};

type Validator = ReturnType<typeof compile>;

/** Returns the body typed as T, or throws a 400 naming the first bad field's JSON path. */
export function validateBody<T>(validate: Validator, body: unknown): T {
  if (validate(body)) return body as T;
  throw toApiError(validate.errors?.[0]);
}

export function validateProvider<T>(body: unknown): T {
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  if (type !== 'builtin' && type !== 'oidc' && type !== 'github') {
    throw new ApiError(400, 'invalid_body', 'type must be one of builtin, oidc, github', '$.type');
  }
  return validateBody<T>(validators.provider[type], body);
}

function toApiError(err: ErrorObject | undefined): ApiError {
  if (!err) return new ApiError(400, 'invalid_body', 'the body is invalid', '$');
  const base = '$' + err.instancePath.split('/').slice(1).map(segment).join('');
  if (err.keyword === 'additionalProperties') {
    const extra = String((err.params as { additionalProperty: string }).additionalProperty);
    return new ApiError(400, 'unknown_field', `unknown field "${extra}"`, base + segment(extra));
  }
  if (err.keyword === 'required') {
    const missing = String((err.params as { missingProperty: string }).missingProperty);
    return new ApiError(400, 'missing_field', `${missing} is required`, base + segment(missing));
  }
  return new ApiError(400, 'invalid_body', `${base} ${err.message ?? 'is invalid'}`, base);
}

function segment(key: string): string {
  const unescaped = key.replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(unescaped) ? `[${unescaped}]` : /^[A-Za-z_$][\w$]*$/.test(unescaped) ? `.${unescaped}` : `[${JSON.stringify(unescaped)}]`;
}
