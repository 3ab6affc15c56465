// The JSON schemas of the ControlApi's request bodies (docs/control-api.md), compiled (see
// config/schema-set.ts for how the bundle precompiles them). They are built from the pieces of
// the settings schema (config/schema.ts), so a field has the same limits in a settings file and
// in a request.
import { Type } from '@sinclair/typebox';
import { Claims, Host, Id, NonEmptyText, Personas, Persona, PROVIDER_TYPES, ServiceClient, ServiceClients, Text, TextList, Upstream } from './config/schema.ts';
import { MAX_MINT_LIFETIME_SECONDS } from './config/builtin-idp-rules.ts';
import { compileSchemaSet, type SchemaSet } from './config/schema-set.ts';
import { DECISIONS } from './api.ts';
import { EXPORT_FORMATS, IMPORT_FORMATS } from './config/production-formats.ts';

const closed = { additionalProperties: false } as const;
// A provider body may carry a new client secret to keep in the secret store instead of the settings.
const providerBody = <T extends { properties: object }>(provider: T) =>
  Type.Object({ ...provider.properties, clientSecretValue: Type.Optional(Text) }, closed);
const RequestPath = Type.String({ maxLength: 2048 });
const PERSONA_FIELDS = ['username', 'email', 'name', 'groups'] as const;
const PersonaBody = Type.Object(
  { ...Type.Required(Type.Pick(Persona, PERSONA_FIELDS)).properties, ...Type.Omit(Persona, PERSONA_FIELDS).properties },
  closed,
);
// A service client's secret is an environment variable's name or a value for the secret store,
// never written into the settings file by the API; neither keeps the secret it has.
const ServiceClientBody = Type.Object(
  {
    clientId: ServiceClient.properties.clientId,
    claims: Type.Optional(Claims),
    clientSecret: Type.Optional(Type.Object({ env: NonEmptyText }, closed)),
    clientSecretValue: Type.Optional(NonEmptyText),
  },
  closed,
);

const schemas = {
  upstream: Upstream,
  builtinProvider: providerBody(PROVIDER_TYPES.builtin),
  oidcProvider: providerBody(PROVIDER_TYPES.oidc),
  githubProvider: providerBody(PROVIDER_TYPES.github),
  // The API takes whole personas: the four fields the editor always shows are required, the
  // rest (claims, a token lifetime) stay optional as in the settings.
  personas: Type.Object({ users: Type.Array(PersonaBody, { maxItems: Personas.maxItems }) }, closed),
  serviceClients: Type.Object({ clients: Type.Array(ServiceClientBody, { maxItems: ServiceClients.maxItems }) }, closed),
  // Each part optional: groups and roles replace the real ones, claims merge over them.
  // At least one part is simulated; ending a simulation is DELETE, not an empty body.
  simulation: Type.Object({ groups: Type.Optional(TextList), roles: Type.Optional(TextList), claims: Type.Optional(Claims) }, { ...closed, minProperties: 1 }),
  mintToken: Type.Object(
    {
      persona: Persona.properties.username,
      audience: Type.Optional(NonEmptyText),
      expiresIn: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_MINT_LIFETIME_SECONDS })),
      claims: Type.Optional(Claims),
    },
    closed,
  ),
  checkPort: Type.Object({ host: Host, port: Type.Integer({ minimum: 1, maximum: 65535 }), upstreamId: Type.Optional(Id) }, closed),
  checkTarget: Type.Object({ target: Text }, closed),
  checkIssuer: Type.Object({ issuer: Text }, closed),
  checkRoute: Type.Object({ upstreamId: Id, method: Type.String({ pattern: '^[A-Za-z]{1,16}$' }), path: RequestPath }, closed),
  expireSession: Type.Object({ what: Type.Union([Type.Literal('access'), Type.Literal('session')]) }, closed),
  switchPersona: Type.Object({ persona: Type.String({ minLength: 1, maxLength: 64 }) }, closed),
  // Fields left out are cleared: a PUT states every fault in force.
  idpFaults: Type.Object({
    signIn: Type.Optional(Type.Union([Type.Literal('access_denied'), Type.Literal('login_required'), Type.Literal('server_error'), Type.Null()])),
    refresh: Type.Optional(Type.Union([Type.Literal('invalid_grant'), Type.Literal('server_error'), Type.Null()])),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 30_000 })),
    down: Type.Optional(Type.Boolean()),
  }, closed),
  checkHeaders: Type.Object({ upstreamId: Id, sessionId: Type.Optional(Type.String({ maxLength: 200 })) }, closed),
  // `persona`: a persona's username or `session:<id>`.
  explain: Type.Object(
    { upstream: Id, method: Type.String({ pattern: '^[A-Za-z]{1,16}$' }), path: Type.String({ minLength: 1, maxLength: 2048 }), persona: Type.Optional(Type.String({ minLength: 1, maxLength: 264 })) },
    closed,
  ),
  requestFilter: Type.Object(
    {
      upstream: Type.Optional(Id),
      decision: Type.Optional(Type.Union(DECISIONS.map((d) => Type.Literal(d)))),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 999_999 })),
    },
    closed,
  ),
  // An oauth2-proxy file to read; 1 MB is far beyond any real one.
  importText: Type.Object({ text: Type.String({ maxLength: 1_000_000 }), format: Type.Optional(Type.Union(IMPORT_FORMATS.map((f) => Type.Literal(f)))) }, closed),
  exportFormat: Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f))),
};

export const schemaSet: SchemaSet<keyof typeof schemas> = {
  // The first problem is enough for a 400; the engine validates the resulting settings again.
  options: { allErrors: false, strict: true, allowUnionTypes: true },
  schemas,
};

export default compileSchemaSet(schemaSet);
