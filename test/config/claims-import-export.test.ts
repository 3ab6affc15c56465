// Claims, roles and bearer tokens through `import` and `export` (docs/configuration.md, "Import
// and export"): oauth2-proxy's oidc_groups_claim, allowed_roles (keycloak-oidc),
// skip_jwt_bearer_tokens, extra_jwt_issuers and oidc_email_claim come in as Portcullis settings or
// as a warning that says what was left out; export writes them back, and claim headers as each
// front proxy copies them — which the real nginx, Caddy and HAProxy accept.
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { exportUpstream } from '../../electron/engine/config/export.ts';
import type { ExportFormat } from '../../electron/engine/config/production-formats.ts';
import { exportNotes } from '../../electron/engine/config/export-routing.ts';
import { importConfig } from '../../electron/engine/config/import.ts';
import { validateConfig } from '../../electron/engine/config/validate.ts';
import type { PortcullisConfig } from '../../electron/engine/config/types.ts';
import { checkCaddy, checkHaproxy, writeCaddyExport, writeHaproxyExport } from '../support/front-proxies.ts';
import { testNginxConf } from '../support/nginx.ts';

const KEYCLOAK = 'https://sso.example.com/realms/main';
const head = (lines: string[]) => ['upstreams = [ "http://127.0.0.1:8080" ]', 'client_id = "my-app"', ...lines].join('\n');
const keycloak = (lines: string[]) => head(['provider = "keycloak-oidc"', `oidc_issuer_url = "${KEYCLOAK}"`, ...lines]);
const oidc = (lines: string[]) => head(['provider = "oidc"', `oidc_issuer_url = "${KEYCLOAK}"`, ...lines]);

describe('import maps claims, roles and bearer settings', () => {
  it.each<[string, string, { upstream?: object; provider?: object; warning?: RegExp }]>([
    ['oidc_groups_claim', oidc(['oidc_groups_claim = "https://example.com/groups"']), { provider: { groupsClaim: 'https://example.com/groups' } }],
    ['keycloak-oidc reads roles from realm_access.roles', keycloak([]), { provider: { id: 'keycloak-oidc', type: 'oidc', rolesClaim: 'realm_access.roles' } }],
    ['allowed_roles (realm roles)', keycloak(['allowed_roles = [ "reporter", "admin" ]']), { upstream: { allowedRoles: ['reporter', 'admin'] }, provider: { rolesClaim: 'realm_access.roles' } }],
    ['allowed_roles (a client\'s roles, client:role)', keycloak(['allowed_roles = [ "shop:buyer", "shop:seller" ]']), { upstream: { allowedRoles: ['buyer', 'seller'] }, provider: { rolesClaim: 'resource_access.shop.roles' } }],
    ['allowed_roles of two kinds: the first kind, the rest named', keycloak(['allowed_roles = [ "reporter", "shop:buyer" ]']), { upstream: { allowedRoles: ['reporter'] }, warning: /^allowed_roles: buyer \(from resource_access\.shop\.roles\) not imported; a provider reads roles from one rolesClaim, here realm_access\.roles$/ }],
    ['allowed_roles on a plain oidc provider', oidc(['allowed_roles = [ "reporter" ]']), { upstream: { allowedRoles: ['reporter'] }, provider: { rolesClaim: 'realm_access.roles' }, warning: /^allowed_roles: oauth2-proxy checks roles only with the keycloak-oidc provider/ }],
    ['allowed_roles without an OpenID provider', head(['allowed_roles = [ "reporter" ]']), { upstream: { allowedRoles: [] }, warning: /^allowed_roles: not imported; roles come from an OpenID provider's tokens, and this upstream's provider is the built-in one$/ }],
    ['skip_jwt_bearer_tokens', oidc(['skip_jwt_bearer_tokens = true']), { upstream: { bearerTokens: true } }],
    ['extra_jwt_issuers of the provider\'s issuer', oidc(['skip_jwt_bearer_tokens = true', `extra_jwt_issuers = [ "${KEYCLOAK}/=reports-api", "${KEYCLOAK}=api://jobs" ]`]), { upstream: { extraAudiences: ['reports-api', 'api://jobs'] } }],
    ['extra_jwt_issuers of another issuer', oidc([`extra_jwt_issuers = [ "https://login.example.net/t1/v2.0=api://other" ]`]), { upstream: { extraAudiences: [] }, warning: /^extra_jwt_issuers: https:\/\/login\.example\.net\/t1\/v2\.0=api:\/\/other not imported; Portcullis takes bearer tokens only from the upstream's own provider/ }],
    ['extra_jwt_issuers without an audience', oidc(['extra_jwt_issuers = [ "https://x.example" ]']), { warning: /^extra_jwt_issuers: "https:\/\/x\.example" is not issuer=audience, not imported$/ }],
    ['oidc_email_claim = email (what Portcullis reads)', oidc(['oidc_email_claim = "email"']), {}],
    ['oidc_email_claim of another claim', oidc(['oidc_email_claim = "upn"']), { warning: /^oidc_email_claim: "upn" not imported; Portcullis reads the email address from the email claim only/ }],
  ])('%s', (_case, text, expected) => {
    const { config, warnings } = importConfig(text, 'oauth2-proxy.cfg');
    expect(validateConfig(config).problems).toEqual([]);
    if (expected.upstream) expect(config.upstreams[0]).toMatchObject(expected.upstream);
    if (expected.provider) expect(config.providers.find((p) => p.id === config.upstreams[0].provider)).toMatchObject(expected.provider);
    const own = warnings.filter((w) => /^(allowed_roles|extra_jwt_issuers|oidc_email_claim|skip_jwt_bearer_tokens|oidc_groups_claim)/.test(w));
    if (expected.warning) expect(own).toContainEqual(expect.stringMatching(expected.warning));
    else expect(own).toEqual([]);
  });

  it('reads the same settings from OAUTH2_PROXY_* variables', () => {
    const env = [
      'OAUTH2_PROXY_UPSTREAMS=http://127.0.0.1:8080',
      'OAUTH2_PROXY_PROVIDER=keycloak-oidc',
      `OAUTH2_PROXY_OIDC_ISSUER_URL=${KEYCLOAK}`,
      'OAUTH2_PROXY_CLIENT_ID=my-app',
      'OAUTH2_PROXY_ALLOWED_ROLES=reporter,viewer',
      'OAUTH2_PROXY_SKIP_JWT_BEARER_TOKENS=true',
      `OAUTH2_PROXY_EXTRA_JWT_ISSUERS=${KEYCLOAK}=reports-api`,
    ].join('\n');
    const { config } = importConfig(env, '.env');
    expect(config.upstreams[0]).toMatchObject({ allowedRoles: ['reporter', 'viewer'], bearerTokens: true, extraAudiences: ['reports-api'] });
  });
});

const config: PortcullisConfig = validateConfig({
  upstreams: [
    {
      id: 'reports', listen: { host: '127.0.0.1', port: 4180 }, target: 'http://127.0.0.1:5000', provider: 'keycloak',
      allowedRoles: ['reporter'], bearerTokens: true, extraAudiences: ['reports-api'], redirectOrigins: ['http://localhost:8080'],
      claimHeaders: { 'X-User-Tenant': 'tid', 'X-User-Roles': 'realm_access.roles', 'X-Auth-User': '$' },
    },
    { id: 'shop', listen: { host: '127.0.0.1', port: 4181 }, target: 'http://127.0.0.1:5001', provider: 'shop', allowedRoles: ['buyer'] },
    { id: 'entra', listen: { host: '127.0.0.1', port: 4182 }, target: 'http://127.0.0.1:5002', provider: 'entra', allowedRoles: ['Reports.Read'], bearerTokens: true },
    { id: 'local', listen: { host: '127.0.0.1', port: 4183 }, target: 'http://127.0.0.1:5003', provider: 'builtin', bearerTokens: true, extraAudiences: ['jobs'] },
  ],
  providers: [
    { id: 'builtin', type: 'builtin', groupsClaim: 'teams' },
    { id: 'keycloak', type: 'oidc', issuer: KEYCLOAK, clientId: 'my-app', rolesClaim: 'realm_access.roles', groupsClaim: 'groups' },
    { id: 'shop', type: 'oidc', issuer: KEYCLOAK, clientId: 'shop', rolesClaim: 'resource_access.shop.roles' },
    { id: 'entra', type: 'oidc', issuer: 'https://login.microsoftonline.com/t1/v2.0', clientId: 'entra-app' },
  ],
}).config!;

describe('export writes them back', () => {
  it.each<[ExportFormat, string, string[], string[]]>([
    ['oauth2-proxy', 'reports', [
      'provider = "keycloak-oidc"',
      'oidc_groups_claim = "groups"',
      'allowed_roles = [ "reporter" ]',
      'skip_jwt_bearer_tokens = true',
      `extra_jwt_issuers = [ "${KEYCLOAK}=reports-api" ]`,
      '# cannot express: claimHeaders (X-User-Tenant from tid, X-User-Roles from realm_access.roles, X-Auth-User from $): oauth2-proxy sends claim headers only from its alpha config (injectRequestHeaders and injectResponseHeaders with claimSource); "$" (all claims as JSON) has no equivalent there',
    ], []],
    ['oauth2-proxy', 'shop', ['provider = "keycloak-oidc"', 'allowed_roles = [ "shop:buyer" ]'], ['skip_jwt_bearer_tokens']],
    ['oauth2-proxy', 'entra', [
      'provider = "oidc"',
      'skip_jwt_bearer_tokens = true',
      '# cannot express: allowedRoles (Reports.Read) read from roles: oauth2-proxy checks roles only with its keycloak-oidc provider (realm_access.roles or resource_access.<client>.roles); check them in the app',
    ], ['allowed_roles', 'extra_jwt_issuers']],
    ['oauth2-proxy', 'local', ['oidc_groups_claim = "teams"', 'skip_jwt_bearer_tokens = true', 'extra_jwt_issuers = [ "https://idp.example.com/=jobs" ]'], []],
    ['nginx', 'reports', [
      'auth_request_set $claim_x_user_tenant $upstream_http_x_user_tenant;',
      'proxy_set_header X-User-Tenant $claim_x_user_tenant;',
      'auth_request_set $claim_x_auth_user $upstream_http_x_auth_user;',
      'proxy_set_header X-Auth-User $claim_x_auth_user;',
      '# Differs from production: Claim headers: oauth2-proxy answers X-User-Tenant, X-User-Roles, X-Auth-User on /oauth2/auth only when its alpha config lists them under injectResponseHeaders (claimSource).',
    ], []],
    ['traefik', 'reports', ['- X-User-Tenant', '- X-User-Roles', '- X-Auth-User'], []],
    ['caddy', 'reports', ['copy_headers X-Auth-Request-User X-Auth-Request-Email X-Auth-Request-Groups X-Auth-Request-Preferred-Username X-User-Tenant X-User-Roles X-Auth-User', '# Caddy 2.6 then sends the placeholder text'], []],
    ['haproxy', 'reports', [
      'http-request del-header X-User-Tenant',
      'http-request set-header X-User-Tenant %[var(txn.claim_x_user_tenant)] if authenticated { var(txn.claim_x_user_tenant) -m found }',
      'local claim_headers = { "x-user-tenant", "x-user-roles", "x-auth-user" }',
      'txn:set_var("txn.claim_" .. string.gsub(name, "[^%w]", "_"), values[0])',
    ], []],
    ['nginx', 'shop', [], ['claim_', 'Claim headers']],
  ])('%s for %s', (format, upstream, present, absent) => {
    const text = exportUpstream(config, upstream, format);
    for (const line of present) expect(text).toContain(line);
    for (const part of absent) expect(text).not.toContain(part);
  });

  it('names what oauth2-proxy cannot express on stderr too', () => {
    expect(exportNotes(exportUpstream(config, 'entra', 'oauth2-proxy'))).toEqual([expect.stringMatching(/^cannot express: allowedRoles \(Reports\.Read\)/)]);
  });
});

describe('export → import round trip', () => {
  it.each([
    ['reports', { allowedRoles: ['reporter'], bearerTokens: true, extraAudiences: ['reports-api'] }, { rolesClaim: 'realm_access.roles', groupsClaim: 'groups', issuer: KEYCLOAK }],
    ['shop', { allowedRoles: ['buyer'], bearerTokens: false }, { rolesClaim: 'resource_access.shop.roles' }],
    ['entra', { allowedRoles: [], bearerTokens: true }, { issuer: 'https://login.microsoftonline.com/t1/v2.0' }],
    ['local', { bearerTokens: true, extraAudiences: ['jobs'] }, { groupsClaim: 'teams', issuer: 'https://idp.example.com/' }],
  ])('%s comes back with its roles and bearer settings', (id, upstream, provider) => {
    const { config: back, warnings } = importConfig(exportUpstream(config, id, 'oauth2-proxy'), 'oauth2-proxy.cfg');
    expect(back.upstreams[0]).toMatchObject(upstream);
    expect(back.providers.find((p) => p.id === back.upstreams[0].provider)).toMatchObject(provider);
    expect(warnings.filter((w) => /^(allowed_roles|extra_jwt_issuers|skip_jwt_bearer_tokens)/.test(w))).toEqual([]);
  });
});

describe('the front proxies accept the claim header exports', () => {
  it('nginx -t', async () => {
    const checked = await testNginxConf(exportUpstream(config, 'reports', 'nginx'));
    expect(checked.output).toMatch(/syntax is ok/);
    expect(checked.code).toBe(0);
  });

  it('caddy validate', async () => {
    const files = await writeCaddyExport(exportUpstream(config, 'reports', 'caddy'));
    try {
      const check = await checkCaddy(files);
      expect(check.output).toMatch(/Valid configuration/);
      expect(check.ok).toBe(true);
    } finally {
      await rm(files.dir, { recursive: true, force: true });
    }
  });

  it('haproxy -c', async () => {
    const files = await writeHaproxyExport(exportUpstream(config, 'reports', 'haproxy'));
    try {
      const check = await checkHaproxy(files);
      expect(check.output).toMatch(/Configuration file is valid/);
      expect(check.ok).toBe(true);
    } finally {
      await rm(files.dir, { recursive: true, force: true });
    }
  });
});

describe('a rule\'s allowedRoles in an export', () => {
  const routed = {
    ...config,
    upstreams: [{ ...config.upstreams[0], rules: [{ id: 'audit', path: '^/audit/', allowedRoles: ['auditor'] }] }],
  } as PortcullisConfig;

  it.each(['oauth2-proxy', 'nginx', 'caddy', 'haproxy', 'traefik'] as const)('%s names it as not expressible per path', (format) => {
    expect(exportNotes(exportUpstream(routed, 'reports', format))).toContain(
      'cannot express: rule audit: oauth2-proxy checks roles for the whole upstream (allowed_roles), not per path; check auditor in the app',
    );
  });

  it('nginx: the rule location asks for no groups of the upstream (the rule stands in for them)', async () => {
    const out = exportUpstream(routed, 'reports', 'nginx');
    expect(out).toContain('set $portcullis_allowed_groups "";');
    expect((await testNginxConf(out)).code).toBe(0);
  });
});
