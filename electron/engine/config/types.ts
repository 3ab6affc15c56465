// The shape of Portcullis settings (docs/configuration.md): what `--config` files and the
// persisted settings hold. Validation lives in schema.ts / validate.ts.

import type { AccessRule, PathRoute } from './upstream-routing.ts';
/** A secret: a literal string, an environment variable, or a reference into the secret store. */
export type SecretValue = string | { env: string } | { secretRef: string };

export interface ListenAddress {
  host: string;
  port: number;
}

export interface UpstreamConfig {
  id: string;
  name?: string;
  enabled: boolean;
  listen: ListenAddress;
  /** Absolute http(s) URL of the app behind the proxy. */
  target: string;
  /** Id of an entry in `providers`. */
  provider: string;
  allowedGroups: string[];
  allowedEmails: string[];
  /** `*` allows any domain. */
  emailDomains: string[];
  /** oauth2-proxy syntax: `METHOD=regex`, `METHOD!=regex`, `regex`, `!=regex`. */
  skipAuthRoutes: string[];
  apiRoutes: string[];
  passUserHeaders: boolean;
  passAccessToken: boolean;
  passAuthorizationHeader: boolean;
  setXAuthRequest: boolean;
  websockets: boolean;
  /** Exact origins (scheme://host[:port]) that absolute `rd` redirects may point to. */
  redirectOrigins: string[];
  /** Binding a non-loopback host must be acknowledged explicitly. */
  allowNonLoopback?: boolean;
  /** Other targets for path prefixes (docs/configuration.md, "Paths and rules"). */
  paths?: PathRoute[];
  /** Ordered access rules per path. */
  rules?: AccessRule[];
}

export interface BuiltinProviderConfig {
  id: string;
  type: 'builtin';
  name?: string;
}

export interface OidcProviderConfig {
  id: string;
  type: 'oidc';
  name?: string;
  issuer: string;
  clientId: string;
  clientSecret?: SecretValue;
  scopes?: string[];
  groupsClaim?: string;
  authParams?: Record<string, string>;
}

export interface GithubProviderConfig {
  id: string;
  type: 'github';
  name?: string;
  clientId: string;
  clientSecret?: SecretValue;
  org?: string;
  team?: string;
  /** Overridable for GitHub Enterprise and for the local stand-in used in tests. */
  baseUrl?: string;
  apiUrl?: string;
}

export type ProviderConfig = BuiltinProviderConfig | OidcProviderConfig | GithubProviderConfig;

export interface Persona {
  username: string;
  email: string;
  name: string;
  groups: string[];
}

export interface BuiltinIdpConfig {
  port: number;
  users: Persona[];
}

export interface ConsoleConfig {
  port: number;
}

export interface PortcullisConfig {
  /** Settings format version, for migrations. */
  version?: number;
  upstreams: UpstreamConfig[];
  providers: ProviderConfig[];
  builtinIdp: BuiltinIdpConfig;
  console?: ConsoleConfig;
}

/** One problem found in a config, named by its JSON path (e.g. `$.upstreams[0].listen.port`). */
export interface ConfigProblem {
  path: string;
  message: string;
}
