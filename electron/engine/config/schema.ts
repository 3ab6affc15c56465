// The one definition of the shape of Portcullis settings (docs/configuration.md), as JSON
// Schema built with TypeBox: the settings file and the control API's bodies (api-schemas.ts)
// are checked against these pieces, and the TypeScript types (types.ts) are derived from them.
// It checks shape only; the rules that span fields (duplicate ids and ports, URLs, regexes,
// provider references) live in validate.ts. Unknown keys are errors everywhere, so a typo
// never silently does nothing.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MAX_CLOCK_SKEW_SECONDS, MAX_TOKEN_TTL, MIN_TOKEN_TTL } from './builtin-idp-rules.ts';
import { CURRENT_CONFIG_VERSION } from './version.ts';

const closed = { additionalProperties: false } as const;

// validate.ts words this rule for error messages (ID_RULE).
export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' });

export const Text = Type.String({ maxLength: 4096 });
export const NonEmptyText = Type.String({ minLength: 1, maxLength: 4096 });
// Names are shown in the sign-in page, the console and the tray menu.
export const DisplayName = Type.String({ maxLength: 200 });
export const TextList = Type.Array(Text, { maxItems: 1000 });
export const Port = Type.Integer({ minimum: 0, maximum: 65535 });
export const Host = Type.String({ minLength: 1, maxLength: 255 });
const Flag = Type.Optional(Type.Boolean());

/** A secret: a literal string, an environment variable, or a reference into the secret store. */
export type SecretValue = string | { env: string } | { secretRef: string };
// Kept as one object shape (not oneOf) so that a mistake produces one precise error
// instead of one per alternative; the type says the three forms.
export const Secret = Type.Unsafe<SecretValue>({
  type: ['string', 'object'],
  maxLength: 4096,
  properties: { env: Text, secretRef: Text },
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
});

export const Listen = Type.Object({ host: Host, port: Port }, closed);

/** A `paths[]` entry: requests under `path` go to `target` (docs/configuration.md, "Paths and rules"). */
export const PathRoute = Type.Object(
  {
    /** A normalised path prefix, matched on segment edges; starts with `/`. */
    path: NonEmptyText,
    /** Absolute http(s) URL of the app that serves this prefix. */
    target: NonEmptyText,
    /** Remove the matched prefix before forwarding (`/media/a.png` → `/a.png`). */
    stripPrefix: Flag,
  },
  closed,
);

/** A `rules[]` entry, checked in order; the first whose `path` and `methods` match decides. */
export const AccessRule = Type.Object(
  {
    id: Id,
    /** A path regex in route-rule syntax (unanchored, leading `(?i)` for case-insensitive). */
    path: NonEmptyText,
    /** The methods the rule applies to (validate.ts names the known ones); all when absent. */
    methods: Type.Optional(Type.Array(Type.String({ maxLength: 16 }), { maxItems: 16 })),
    /** No sign-in needed, like a skipAuthRoutes match. */
    public: Flag,
    /** 401/403 as JSON instead of a redirect or a page, like an apiRoutes match. */
    api: Flag,
    /** Replace the upstream's `allowedGroups` and `allowedRoles` for matching requests. */
    allowedGroups: Type.Optional(TextList),
    /** Any of these roles, read through the provider's rolesClaim, as the upstream's `allowedRoles`. */
    allowedRoles: Type.Optional(TextList),
    /** The email must be one of these. */
    allowedEmails: Type.Optional(TextList),
  },
  closed,
);

/** An upstream as written in settings; defaults.ts fills the optional fields. */
export const Upstream = Type.Object(
  {
    id: Id,
    name: Type.Optional(DisplayName),
    enabled: Flag,
    listen: Listen,
    /** Absolute http(s) URL of the app behind the proxy. */
    target: NonEmptyText,
    /** Id of an entry in `providers`. */
    provider: Type.Optional(Id),
    allowedGroups: Type.Optional(TextList),
    /** Any of these roles (read through the provider's rolesClaim), as allowedGroups does for groups. */
    allowedRoles: Type.Optional(TextList),
    allowedEmails: Type.Optional(TextList),
    /** `*` allows any domain. */
    emailDomains: Type.Optional(TextList),
    /** oauth2-proxy syntax: `METHOD=regex`, `METHOD!=regex`, `regex`, `!=regex`. */
    skipAuthRoutes: Type.Optional(TextList),
    apiRoutes: Type.Optional(TextList),
    passUserHeaders: Flag,
    passAccessToken: Flag,
    passAuthorizationHeader: Flag,
    setXAuthRequest: Flag,
    websockets: Flag,
    /** Exact origins (scheme://host[:port]) that absolute `rd` redirects may point to. */
    redirectOrigins: Type.Optional(TextList),
    /** Header name → claim path (auth/claim-paths.ts), or `$` for all claims as JSON; checked in validate.ts. */
    claimHeaders: Type.Optional(Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: NonEmptyText, maxProperties: 50 })),
    /** Accept `Authorization: Bearer <JWT>` signed by the upstream's provider (auth/bearer.ts). */
    bearerTokens: Flag,
    /** Audiences a bearer token may carry besides the provider's client id. */
    extraAudiences: Type.Optional(TextList),
    /** Binding a non-loopback host must be acknowledged explicitly. */
    allowNonLoopback: Flag,
    /** Other targets for path prefixes. */
    paths: Type.Optional(Type.Array(PathRoute, { maxItems: 100 })),
    /** Ordered access rules per path. */
    rules: Type.Optional(Type.Array(AccessRule, { maxItems: 200 })),
  },
  closed,
);

const providerCommon = { id: Id, name: Type.Optional(DisplayName) };
/** A claim name or a dot path into nested claims (auth/claim-paths.ts). */
const claimSettings = { groupsClaim: Type.Optional(NonEmptyText), rolesClaim: Type.Optional(NonEmptyText) };

/** Whether /oauth2/sign_out also ends the session at the provider (docs/configuration.md); GitHub has no such endpoint. */
const providerSignOut = { providerSignOut: Type.Optional(Type.Boolean()) };

export const BuiltinProvider = Type.Object({ ...providerCommon, ...claimSettings, ...providerSignOut, type: Type.Literal('builtin') }, closed);

export const OidcProvider = Type.Object(
  {
    ...providerCommon,
    ...providerSignOut,
    type: Type.Literal('oidc'),
    issuer: NonEmptyText,
    clientId: NonEmptyText,
    clientSecret: Type.Optional(Secret),
    scopes: Type.Optional(TextList),
    ...claimSettings,
    authParams: Type.Optional(Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: Text, maxProperties: 100 })),
  },
  closed,
);

export const GithubProvider = Type.Object(
  {
    ...providerCommon,
    type: Type.Literal('github'),
    clientId: NonEmptyText,
    clientSecret: Type.Optional(Secret),
    org: Type.Optional(NonEmptyText),
    team: Type.Optional(NonEmptyText),
    /** Overridable for GitHub Enterprise and for the local stand-in used in tests. */
    baseUrl: Type.Optional(NonEmptyText),
    apiUrl: Type.Optional(NonEmptyText),
  },
  closed,
);

export const PROVIDER_TYPES = { builtin: BuiltinProvider, oidc: OidcProvider, github: GithubProvider } as const;

// A discriminator (not a plain union) so that a bad provider is reported against the one
// branch its `type` names, not against all three.
export const Provider = Type.Unsafe<Static<typeof BuiltinProvider> | Static<typeof OidcProvider> | Static<typeof GithubProvider>>({
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string' } },
  discriminator: { propertyName: 'type' },
  oneOf: Object.values(PROVIDER_TYPES),
});

// The built-in provider's token lifetimes (seconds) and claims: any JSON object, with short
// claim names; which names and how large is validate.ts's to say (builtin-idp-rules.ts).
const TokenTtl = Type.Integer({ minimum: MIN_TOKEN_TTL, maximum: MAX_TOKEN_TTL });
export const Claims = Type.Unsafe<Record<string, unknown>>({ type: 'object', maxProperties: 100, propertyNames: { minLength: 1, maxLength: 256 } });

/** A persona of the built-in identity provider as written in settings (name and groups may be left out). */
export const Persona = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$' }),
    email: NonEmptyText,
    name: Type.Optional(DisplayName),
    groups: Type.Optional(TextList),
    claims: Type.Optional(Claims),
    accessTokenTtl: Type.Optional(TokenTtl),
  },
  closed,
);
export const Personas = Type.Array(Persona, { maxItems: 200 });

/** A client of the built-in provider that gets tokens for itself with the client-credentials grant. */
export const ServiceClient = Type.Object({ clientId: Id, clientSecret: Secret, claims: Type.Optional(Claims) }, closed);
export const ServiceClients = Type.Array(ServiceClient, { maxItems: 100 });

export const BuiltinIdp = Type.Object(
  {
    port: Type.Optional(Port),
    users: Type.Optional(Personas),
    clients: Type.Optional(ServiceClients),
    accessTokenTtl: Type.Optional(TokenTtl),
    refreshTokenTtl: Type.Optional(TokenTtl),
    clockSkewSeconds: Type.Optional(Type.Integer({ minimum: -MAX_CLOCK_SKEW_SECONDS, maximum: MAX_CLOCK_SKEW_SECONDS })),
  },
  closed,
);

export const Console = Type.Object({ port: Port }, closed);

export const Config = Type.Object(
  {
    /** Settings format version, for migrations. */
    version: Type.Optional(Type.Integer({ minimum: 0, maximum: CURRENT_CONFIG_VERSION })),
    upstreams: Type.Array(Upstream, { maxItems: 200 }),
    providers: Type.Array(Provider, { maxItems: 100 }),
    builtinIdp: Type.Optional(BuiltinIdp),
    console: Type.Optional(Console),
  },
  { ...closed, $id: 'https://portcullis.invalid/config.schema.json' },
);

/** The settings schema as plain JSON Schema (what Ajv compiles and what an editor could use). */
export const CONFIG_SCHEMA: TSchema = { $schema: 'http://json-schema.org/draft-07/schema#', ...Config };
