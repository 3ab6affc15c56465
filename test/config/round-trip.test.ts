// Export → import: what `portcullis export --format oauth2-proxy` writes, `portcullis import`
// reads back into the same upstream (the other formats are front-proxy snippets that carry no
// settings Portcullis could read). Secrets come back as the env reference oauth2-proxy reads.
import { describe, expect, it } from 'vitest';
import { exportUpstream } from '../../electron/engine/config/export.ts';
import { importConfig } from '../../electron/engine/config/import.ts';
import { validateConfig } from '../../electron/engine/config/validate.ts';
import type { PortcullisConfig } from '../../electron/engine/config/types.ts';

const config: PortcullisConfig = validateConfig({
  upstreams: [
    {
      id: 'app', listen: { host: '127.0.0.1', port: 4180 }, target: 'http://127.0.0.1:8501', provider: 'keycloak',
      allowedGroups: ['admins', 'devs'], emailDomains: ['example.com'], skipAuthRoutes: ['GET=^/healthz$', '^/static/'], apiRoutes: ['^/api/'],
      passAccessToken: true, passAuthorizationHeader: true, setXAuthRequest: false, passUserHeaders: false,
      redirectOrigins: ['http://localhost:8080'],
    },
    { id: 'gh-app', listen: { host: '127.0.0.1', port: 4181 }, target: 'http://127.0.0.1:5000', provider: 'gh' },
    { id: 'local', listen: { host: '127.0.0.1', port: 4182 }, target: 'http://127.0.0.1:3000' },
  ],
  providers: [
    { id: 'builtin', type: 'builtin' },
    { id: 'keycloak', type: 'oidc', issuer: 'https://sso.example.com/realms/main', clientId: 'my-app', clientSecret: { env: 'KC_SECRET' }, scopes: ['openid', 'email', 'groups'], groupsClaim: 'roles' },
    { id: 'gh', type: 'github', clientId: 'gh-client', clientSecret: 'literal', org: 'acme', team: 'platform' },
  ],
}).config!;

const SAME_UPSTREAM_FIELDS = ['listen', 'target', 'allowedGroups', 'emailDomains', 'skipAuthRoutes', 'apiRoutes', 'passAccessToken', 'passAuthorizationHeader', 'setXAuthRequest', 'passUserHeaders'] as const;

describe('export → import round trip (oauth2-proxy)', () => {
  it.each(config.upstreams.map((u) => u.id))('upstream %s comes back with the same settings', (id) => {
    const original = config.upstreams.find((u) => u.id === id)!;
    const { config: back } = importConfig(exportUpstream(config, id, 'oauth2-proxy'), 'oauth2-proxy.cfg');
    const upstream = back.upstreams[0];
    for (const field of SAME_UPSTREAM_FIELDS) expect(upstream[field], field).toEqual(original[field]);
    // whitelist_domains keeps the host; both schemes come back, the original among them
    expect(upstream.redirectOrigins).toEqual(expect.arrayContaining(original.redirectOrigins));
  });

  it('brings the OIDC provider back, its secret as the environment variable oauth2-proxy reads', () => {
    const { config: back, warnings } = importConfig(exportUpstream(config, 'app', 'oauth2-proxy'), 'oauth2-proxy.cfg');
    const provider = back.providers.find((p) => p.id === back.upstreams[0].provider);
    expect(provider).toMatchObject({ type: 'oidc', issuer: 'https://sso.example.com/realms/main', clientId: 'my-app', scopes: ['openid', 'email', 'groups'], groupsClaim: 'roles', clientSecret: { env: 'OAUTH2_PROXY_CLIENT_SECRET' } });
    expect(warnings.join('\n')).not.toMatch(/not imported/);
  });

  it('brings the GitHub provider back with its org and team', () => {
    const { config: back } = importConfig(exportUpstream(config, 'gh-app', 'oauth2-proxy'), 'oauth2-proxy.cfg');
    expect(back.providers.find((p) => p.id === back.upstreams[0].provider)).toMatchObject({ type: 'github', clientId: 'gh-client', org: 'acme', team: 'platform' });
  });

  it('reads the export of the built-in provider as the placeholder to fill in, and says nothing was lost', () => {
    const { config: back, warnings } = importConfig(exportUpstream(config, 'local', 'oauth2-proxy'), 'oauth2-proxy.cfg');
    expect(back.providers.find((p) => p.id === back.upstreams[0].provider)).toMatchObject({ type: 'oidc', issuer: 'https://idp.example.com/', clientId: 'CHANGE-ME' });
    expect(warnings.filter((w) => /not imported/.test(w))).toEqual([]);
  });
});
