// The embedded default settings (docs/configuration.md, "Defaults") and the defaults that fill an upstream
// whose optional fields were left out.
import type { PortcullisConfig, UpstreamConfig } from './types.ts';
import { deepFreeze } from './freeze.ts';
import { CURRENT_CONFIG_VERSION } from './version.ts';

export const DEFAULT_BUILTIN_IDP_PORT = 4190;
export const DEFAULT_CONSOLE_PORT = 4100;

export type UpstreamInput = Partial<UpstreamConfig> & Pick<UpstreamConfig, 'id' | 'listen' | 'target'>;

export function withUpstreamDefaults(input: UpstreamInput): UpstreamConfig {
  return {
    enabled: true,
    provider: 'builtin',
    allowedGroups: [],
    allowedRoles: [],
    allowedEmails: [],
    emailDomains: ['*'],
    skipAuthRoutes: [],
    apiRoutes: [],
    passUserHeaders: true,
    passAccessToken: false,
    passAuthorizationHeader: false,
    setXAuthRequest: true,
    websockets: true,
    redirectOrigins: [],
    claimHeaders: {},
    bearerTokens: false,
    extraAudiences: [],
    paths: [],
    rules: [],
    ...input,
  };
}

export const DEFAULT_CONFIG: Readonly<PortcullisConfig> = deepFreeze<PortcullisConfig>({
  version: CURRENT_CONFIG_VERSION,
  upstreams: [
    withUpstreamDefaults({
      id: 'app',
      listen: { host: '127.0.0.1', port: 4180 },
      target: 'http://127.0.0.1:8501',
      provider: 'builtin',
    }),
  ],
  providers: [{ id: 'builtin', type: 'builtin' }],
  builtinIdp: {
    port: DEFAULT_BUILTIN_IDP_PORT,
    users: [
      { username: 'alice', email: 'alice@example.test', name: 'Alice Admin', groups: ['admins', 'devs'] },
      { username: 'bob', email: 'bob@example.test', name: 'Bob Builder', groups: ['devs'] },
    ],
  },
  console: { port: DEFAULT_CONSOLE_PORT },
});

/** A fresh, mutable copy of the embedded defaults. */
export function defaultConfig(): PortcullisConfig {
  return structuredClone(DEFAULT_CONFIG);
}
