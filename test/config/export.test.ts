// exportUpstream: each production format carries the key lines, and never a secret value.
import { describe, expect, it } from 'vitest';
import { exportUpstream } from '../../electron/engine/config/export.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../../electron/engine/config/production-formats.ts';
import { validateConfig } from '../../electron/engine/config/validate.ts';
import { DEFAULT_CONFIG } from '../../electron/engine/config/defaults.ts';
import type { PortcullisConfig } from '../../electron/engine/config/types.ts';

const SECRET = 'literal-secret-never-printed';
const config: PortcullisConfig = validateConfig({
  upstreams: [
    {
      id: 'app', listen: { host: '127.0.0.1', port: 4180 }, target: 'http://127.0.0.1:8501', provider: 'auth0',
      allowedGroups: ['admins'], skipAuthRoutes: ['^/healthz$', 'POST=^/hook'], apiRoutes: ['^/api/'], passAccessToken: true,
      redirectOrigins: ['http://localhost:8080'],
    },
    { id: 'gh-app', listen: { host: '127.0.0.1', port: 4181 }, target: 'https://127.0.0.1:9443', provider: 'gh', websockets: false },
    { id: 'local', listen: { host: '127.0.0.1', port: 4182 }, target: 'http://127.0.0.1:3000' },
  ],
  providers: [
    { id: 'builtin', type: 'builtin' },
    { id: 'auth0', type: 'oidc', issuer: 'https://tenant.eu.auth0.com/', clientId: 'abc', clientSecret: { env: 'AUTH0_CLIENT_SECRET' }, groupsClaim: 'groups', authParams: { audience: 'https://api.example' } },
    { id: 'gh', type: 'github', clientId: 'def', clientSecret: SECRET, org: 'acme', team: 'platform' },
  ],
}).config!;

describe('exportUpstream', () => {
  it.each<[ExportFormat, string, string[]]>([
    ['oauth2-proxy', 'app', [
      'http_address = "127.0.0.1:4180"',
      'upstreams = [ "http://127.0.0.1:8501" ]',
      'provider = "oidc"',
      'oidc_issuer_url = "https://tenant.eu.auth0.com/"',
      'client_id = "abc"',
      '# client_secret: set OAUTH2_PROXY_CLIENT_SECRET in the environment (Portcullis reads AUTH0_CLIENT_SECRET)',
      'oidc_groups_claim = "groups"',
      'allowed_groups = [ "admins" ]',
      'email_domains = [ "*" ]',
      'skip_auth_routes = [ "^/healthz$", "POST=^/hook" ]',
      'api_routes = [ "^/api/" ]',
      'whitelist_domains = [ "localhost:8080" ]',
      'pass_access_token = true',
      'set_xauthrequest = true',
      'reverse_proxy = true',
    ]],
    ['oauth2-proxy', 'gh-app', ['provider = "github"', 'github_org = "acme"', 'github_team = "platform"', 'proxy_websockets = false']],
    ['oauth2-proxy', 'local', ['provider = "oidc"', '# Portcullis used its built-in identity provider, which exists only on your machine:']],
    ['nginx', 'app', [
      'location = /oauth2/auth {',
      'proxy_pass http://127.0.0.1:4180;',
      'auth_request /oauth2/auth;',
      'auth_request_set $auth_user $upstream_http_x_auth_request_user;',
      'proxy_set_header X-Auth-Request-User $auth_user;',
      'proxy_set_header X-Auth-Request-Groups $auth_groups;',
      'proxy_set_header X-Auth-Request-Access-Token $auth_access_token;',
      'proxy_pass http://127.0.0.1:8501;',
      'proxy_set_header Upgrade $http_upgrade;',
      'location ~ "^/healthz$" {',
    ]],
    ['caddy', 'app', [
      'forward_auth 127.0.0.1:4180 {',
      'uri /oauth2/auth',
      'copy_headers X-Auth-Request-User X-Auth-Request-Email X-Auth-Request-Groups X-Auth-Request-Preferred-Username X-Auth-Request-Access-Token',
      'reverse_proxy http://127.0.0.1:8501',
      'handle /oauth2/* {',
    ]],
    ['haproxy', 'app', [
      'lua-load /etc/haproxy/oauth2-auth.lua',
      'http-request lua.oauth2_auth if !oauth2_path',
      'http-request del-header X-Auth-Request-User',
      'http-request set-header X-Auth-Request-User %[var(txn.auth_user)] if authenticated',
      'core.register_action("oauth2_auth", { "http-req" }, function(txn)',
      'url = "http://127.0.0.1:4180/oauth2/auth"',
      'server app 127.0.0.1:8501',
    ]],
    ['haproxy', 'gh-app', ['server app 127.0.0.1:9443 ssl verify required']],
    ['traefik', 'app', [
      'forwardAuth:',
      'address: http://127.0.0.1:4180/oauth2/auth',
      '- X-Auth-Request-User',
      '- X-Auth-Request-Access-Token',
      '- url: http://127.0.0.1:8501',
    ]],
  ])('%s for %s', (format, upstream, lines) => {
    const text = exportUpstream(config, upstream, format);
    for (const line of lines) expect(text).toContain(line);
  });

  it.each(EXPORT_FORMATS.flatMap((f) => config.upstreams.map((u) => [f, u.id] as const)))('%s for %s prints no secret value', (format, upstream) => {
    expect(exportUpstream(config, upstream, format)).not.toContain(SECRET);
  });

  it('leaves out the access token header when it is not passed', () => {
    expect(exportUpstream(config, 'gh-app', 'nginx')).not.toContain('Access-Token');
  });

  it('names the upstreams that exist when asked for one that does not', () => {
    expect(() => exportUpstream(DEFAULT_CONFIG as PortcullisConfig, 'nope', 'nginx')).toThrow('no upstream with id "nope"; defined: app');
  });
});
