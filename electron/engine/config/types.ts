// The types of Portcullis settings (docs/configuration.md), derived from their one definition,
// the JSON Schema in schema.ts. Types only: the renderer imports this file, and `import type`
// keeps TypeBox and the schema out of the browser bundle. The settings the engine works with
// have every default filled in (validate.ts), so the fields defaults.ts fills are required here.
import type { Static } from '@sinclair/typebox';
import type * as Schema from './schema.ts';

export type { SecretValue } from './schema.ts';

/** `T` with the keys `K`, optional in the file, made required. */
type Filled<T, K extends keyof T> = { [P in keyof T as P extends K ? never : P]: T[P] } & { [P in K]-?: Exclude<T[P], undefined> };
type Flat<T> = { [P in keyof T]: T[P] } & {};

export type ListenAddress = Static<typeof Schema.Listen>;

export type UpstreamConfig = Flat<
  Filled<
    Static<typeof Schema.Upstream>,
    | 'enabled'
    | 'provider'
    | 'allowedGroups'
    | 'allowedRoles'
    | 'claimHeaders'
    | 'bearerTokens'
    | 'extraAudiences'
    | 'allowedEmails'
    | 'emailDomains'
    | 'skipAuthRoutes'
    | 'apiRoutes'
    | 'passUserHeaders'
    | 'passAccessToken'
    | 'passAuthorizationHeader'
    | 'setXAuthRequest'
    | 'websockets'
    | 'redirectOrigins'
  >
>;

export type PathRoute = Static<typeof Schema.PathRoute>;
export type AccessRule = Static<typeof Schema.AccessRule>;

export type BuiltinProviderConfig = Static<typeof Schema.BuiltinProvider>;
export type OidcProviderConfig = Static<typeof Schema.OidcProvider>;
export type GithubProviderConfig = Static<typeof Schema.GithubProvider>;
export type ProviderConfig = BuiltinProviderConfig | OidcProviderConfig | GithubProviderConfig;

export type Persona = Flat<Filled<Static<typeof Schema.Persona>, 'name' | 'groups'>>;

/** A client of the built-in provider that gets tokens with the client-credentials grant. */
export type ServiceClientConfig = Static<typeof Schema.ServiceClient>;

/** `builtinIdp` with its port and personas filled; the provider fills its own lifetimes (idp/settings.ts). */
export type BuiltinIdpConfig = Flat<Omit<Filled<Static<typeof Schema.BuiltinIdp>, 'port'>, 'users'> & { users: Persona[] }>;

export type ConsoleConfig = Static<typeof Schema.Console>;

export type PortcullisConfig = Flat<
  Omit<Static<typeof Schema.Config>, 'upstreams' | 'builtinIdp'> & {
    upstreams: UpstreamConfig[];
    builtinIdp: BuiltinIdpConfig;
  }
>;

/** One problem found in a config, named by its JSON path (e.g. `$.upstreams[0].listen.port`). */
export interface ConfigProblem {
  path: string;
  message: string;
}
