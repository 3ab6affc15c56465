// importConfig: oauth2-proxy .cfg, OAUTH2_PROXY_* env files and docker-compose files become
// valid Portcullis settings; secrets become env references and are never copied.
import { describe, expect, it } from 'vitest';
import { importConfig } from '../../electron/engine/config/import.ts';
import { ConfigError } from '../../electron/engine/config/errors.ts';
import { validateConfig } from '../../electron/engine/config/validate.ts';

const SECRET = 'very-secret-client-secret';

const cfg = `# oauth2-proxy.cfg
http_address = "0.0.0.0:4180"
upstreams = [
    "http://127.0.0.1:8080/"
]
provider = "oidc"
provider_display_name = "Keycloak"
oidc_issuer_url = "https://sso.example.com/realms/main"
client_id = "my-app"
client_secret = "${SECRET}"
cookie_secret = "cookie-secret-value"
scope = "openid email profile groups"
oidc_groups_claim = "groups"
email_domains = [ "example.com" ]
allowed_groups = ["admins", 'devs'] # trailing comment
skip_auth_routes = [ "GET=^/healthz$", "^/static/" ]
api_routes = [ "^/api/" ]
pass_access_token = true
pass_authorization_header = false
set_xauthrequest = true
pass_user_headers = true
whitelist_domains = [ "localhost:8080", ".example.com" ]
silence_ping_logging = true
`;

const envFile = `# exported from the deployment
OAUTH2_PROXY_HTTP_ADDRESS=127.0.0.1:4280
export OAUTH2_PROXY_UPSTREAMS="http://127.0.0.1:5000"
OAUTH2_PROXY_PROVIDER=github
OAUTH2_PROXY_CLIENT_ID=gh-client
OAUTH2_PROXY_CLIENT_SECRET='${SECRET}'
OAUTH2_PROXY_GITHUB_ORG=acme
OAUTH2_PROXY_GITHUB_TEAM=platform
OAUTH2_PROXY_EMAIL_DOMAINS=*
OAUTH2_PROXY_SKIP_AUTH_ROUTES=GET=^/public,^/favicon.ico$
OAUTH2_PROXY_SET_XAUTHREQUEST=false
UNRELATED=1
`;

const compose = `services:
  app:
    image: python:3.11
    ports:
      - "8601:8501"
  oauth2-proxy:
    image: quay.io/oauth2-proxy/oauth2-proxy:v7.6.0
    command:
      - --http-address=0.0.0.0:4180
      - --upstream=http://app:8501
      - --provider=oidc
      - --oidc-issuer-url
      - https://tenant.eu.auth0.com/
      - --email-domain=*
      - --allowed-group=admins
      - --pass-access-token
    environment:
      OAUTH2_PROXY_CLIENT_ID: auth0-client
      OAUTH2_PROXY_CLIENT_SECRET: ${SECRET}
      OAUTH2_PROXY_COOKIE_SECRET: abc
`;

describe('importConfig', () => {
  it('reads an oauth2-proxy .cfg', () => {
    const { config, warnings } = importConfig(cfg, 'oauth2-proxy.cfg');
    expect(validateConfig(config).problems).toEqual([]);
    expect(config.upstreams[0]).toMatchObject({
      listen: { host: '127.0.0.1', port: 4180 },
      target: 'http://127.0.0.1:8080',
      provider: 'oidc',
      allowedGroups: ['admins', 'devs'],
      emailDomains: ['example.com'],
      skipAuthRoutes: ['GET=^/healthz$', '^/static/'],
      apiRoutes: ['^/api/'],
      passAccessToken: true,
      passAuthorizationHeader: false,
      setXAuthRequest: true,
      passUserHeaders: true,
      redirectOrigins: ['http://localhost:8080', 'https://localhost:8080'],
    });
    expect(config.providers[0]).toEqual({
      id: 'oidc', type: 'oidc', name: 'Keycloak', issuer: 'https://sso.example.com/realms/main', clientId: 'my-app',
      clientSecret: { env: 'OAUTH2_PROXY_CLIENT_SECRET' }, scopes: ['openid', 'email', 'profile', 'groups'], groupsClaim: 'groups',
    });
    expect(warnings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^http_address: 0\.0\.0\.0:4180 becomes 127\.0\.0\.1:4180/),
      expect.stringMatching(/^whitelist_domains: "\.example\.com" is a wildcard/),
      expect.stringMatching(/^silence_ping_logging: not imported/),
      expect.stringMatching(/^cookie_secret: not needed locally/),
    ]));
    const everything = JSON.stringify(config) + warnings.join('\n');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('cookie-secret-value');
  });

  it('reads an env file of OAUTH2_PROXY_* lines', () => {
    const { config, warnings } = importConfig(envFile, '.env');
    expect(validateConfig(config).problems).toEqual([]);
    expect(config.upstreams[0]).toMatchObject({
      listen: { host: '127.0.0.1', port: 4280 },
      target: 'http://127.0.0.1:5000',
      provider: 'github',
      emailDomains: ['*'],
      skipAuthRoutes: ['GET=^/public', '^/favicon.ico$'],
      setXAuthRequest: false,
    });
    expect(config.providers[0]).toEqual({ id: 'github', type: 'github', clientId: 'gh-client', clientSecret: { env: 'OAUTH2_PROXY_CLIENT_SECRET' }, org: 'acme', team: 'platform' });
    expect(warnings).toContainEqual(expect.stringMatching(/^UNRELATED: not an oauth2-proxy variable/));
    expect(JSON.stringify(config) + warnings.join('\n')).not.toContain(SECRET);
  });

  it('reads a docker-compose file: flags, environment, and the app service published port', () => {
    const { config, warnings } = importConfig(compose, 'docker-compose.yml');
    expect(validateConfig(config).problems).toEqual([]);
    expect(config.upstreams[0]).toMatchObject({
      listen: { host: '127.0.0.1', port: 4180 },
      target: 'http://127.0.0.1:8601',
      provider: 'oidc',
      allowedGroups: ['admins'],
      emailDomains: ['*'],
      passAccessToken: true,
    });
    expect(config.providers[0]).toMatchObject({ type: 'oidc', issuer: 'https://tenant.eu.auth0.com/', clientId: 'auth0-client', clientSecret: { env: 'OAUTH2_PROXY_CLIENT_SECRET' } });
    expect(warnings).toContainEqual(expect.stringMatching(/compose service "app" is reached at http:\/\/127\.0\.0\.1:8601/));
    expect(JSON.stringify(config) + warnings.join('\n')).not.toContain(SECRET);
  });

  it('reads a compose command given as one string', () => {
    const text = `services:\n  proxy:\n    image: oauth2-proxy/oauth2-proxy\n    command: --upstream "http://127.0.0.1:3000" --http-address=127.0.0.1:4999\n`;
    const { config } = importConfig(text, 'compose.yaml');
    expect(config.upstreams[0]).toMatchObject({ listen: { host: '127.0.0.1', port: 4999 }, target: 'http://127.0.0.1:3000', provider: 'builtin' });
  });

  it('moves the IdP and console off a port the imported listener takes', () => {
    const { config } = importConfig('http_address = "127.0.0.1:4190"\nupstreams = [ "http://127.0.0.1:1" ]\n', 'a.cfg');
    expect(config.builtinIdp.port).toBe(4191);
    expect(validateConfig(config).problems).toEqual([]);
  });

  it('reports what makes the result invalid as warnings', () => {
    const { warnings } = importConfig('upstreams = [ "http://127.0.0.1:1" ]\nskip_auth_routes = [ "GET=(" ]\n', 'bad.cfg');
    expect(warnings).toContainEqual(expect.stringMatching(/^\$\.upstreams\[0\]\.skipAuthRoutes\[0\]: .*does not compile/));
  });

  it.each<[string, string, string, RegExp]>([
    ['a cfg line without =', 'upstreams\n', 'x.cfg', /line 1: expected key = value/],
    ['an unterminated array', 'upstreams = [ "http://a"\n', 'x.cfg', /line 1: cannot read this value/],
    ['an unquoted string', 'provider = oidc\n', 'x.cfg', /line 1: cannot read this value/],
    ['compose without oauth2-proxy', 'services:\n  web:\n    image: nginx\n', 'c.yml', /no oauth2-proxy service/],
    ['invalid YAML', 'services: [\n', 'c.yml', /not valid YAML/],
  ])('refuses %s with a clear message', (_name, text, file, message) => {
    expect(() => importConfig(text, file)).toThrow(ConfigError);
    expect(() => importConfig(text, file)).toThrow(message);
  });
});

// The tricky corners of each format, read by its library: what the user wrote is what is imported.
describe('importConfig: format corners', () => {
  const target = (text: string, file: string) => importConfig(text, file).config.upstreams[0];

  it.each<[string, string, object]>([
    ['a double-quoted value with a # inside', 'upstreams = [ "http://127.0.0.1:1/#x" ]\nscope = "openid # not a comment" # a comment\n', { target: 'http://127.0.0.1:1/#x' }],
    ['a single-quoted (literal) value with a backslash', "upstreams = [ 'http://127.0.0.1:1' ]\nskip_auth_routes = [ '^/a\\.js$' ]\n", { skipAuthRoutes: ['^/a\\.js$'] }],
    ['a multi-line array with comments and a trailing comma', 'upstreams = [\n  "http://127.0.0.1:1",   # first\n  # between\n  "http://127.0.0.1:2",\n]\nallowed_groups = [\n  "a",\n  "b",\n]\n', { target: 'http://127.0.0.1:1', allowedGroups: ['a', 'b'] }],
    ['a basic string with escapes', 'upstreams = [ "http://127.0.0.1:1" ]\nskip_auth_routes = [ "GET=^/a\\\\.js$", "\\u0050OST=^/b" ]\n', { skipAuthRoutes: ['GET=^/a\\.js$', 'POST=^/b'] }],
    ['comment-only and blank lines', '# only comments\n\n   # indented\nupstreams = ["http://127.0.0.1:1"]\n', { target: 'http://127.0.0.1:1' }],
  ])('.cfg: %s', (_name, text, expected) => {
    expect(target(text, 'x.cfg')).toMatchObject(expected);
  });

  it.each<[string, string, object]>([
    ['`export NAME=` lines', 'export OAUTH2_PROXY_UPSTREAMS=http://127.0.0.1:7\nexport OAUTH2_PROXY_ALLOWED_GROUPS=\n', { target: 'http://127.0.0.1:7', allowedGroups: [] }],
    ['a double-quoted value with a # inside', 'OAUTH2_PROXY_UPSTREAMS="http://127.0.0.1:7/#x"\n', { target: 'http://127.0.0.1:7/#x' }],
    ['a single-quoted value with spaces', "OAUTH2_PROXY_UPSTREAMS=http://127.0.0.1:7\nOAUTH2_PROXY_ALLOWED_GROUPS='a, b'\n", { allowedGroups: ['a', 'b'] }],
    ['an unquoted value with a trailing comment', 'OAUTH2_PROXY_UPSTREAMS=http://127.0.0.1:7 # the app\n', { target: 'http://127.0.0.1:7' }],
    ['Windows line endings', 'OAUTH2_PROXY_UPSTREAMS=http://127.0.0.1:7\r\nOAUTH2_PROXY_SET_XAUTHREQUEST=false\r\n', { target: 'http://127.0.0.1:7', setXAuthRequest: false }],
  ])('env file: %s', (_name, text, expected) => {
    expect(target(text, '.env')).toMatchObject(expected);
  });

  const composeWith = (command: string) => `services:\n  proxy:\n    image: oauth2-proxy/oauth2-proxy\n    command: ${JSON.stringify(command)}\n`;
  it.each<[string, string, object]>([
    ['a double-quoted word with spaces', `--upstream=http://127.0.0.1:3000 --skip-auth-route "GET=^/a b$"`, { skipAuthRoutes: ['GET=^/a b$'] }],
    ['a single-quoted word with a double quote inside', `--upstream=http://127.0.0.1:3000 --allowed-group 'say "hi"'`, { allowedGroups: ['say "hi"'] }],
    ['a glob character', `--upstream=http://127.0.0.1:3000 --email-domain=*`, { emailDomains: ['*'] }],
    ['a $VARIABLE kept as written, not expanded to nothing', `--upstream=http://127.0.0.1:3000 --allowed-group=$TEAM`, { allowedGroups: ['$TEAM'] }],
    ['an escaped space', `--upstream=http://127.0.0.1:3000 --allowed-group=a\\ b`, { allowedGroups: ['a b'] }],
  ])('compose command string: %s', (_name, command, expected) => {
    expect(target(composeWith(command), 'compose.yml')).toMatchObject(expected);
  });

  it('never repeats a secret from a .cfg it cannot read', () => {
    const text = `upstreams = [ "http://127.0.0.1:1" ]\nclient_secret = "${SECRET}\n`;
    let message = '';
    try {
      importConfig(text, 'x.cfg');
    } catch (error) {
      message = JSON.stringify(error) + String(error) + (error as ConfigError).problems?.map((p) => p.message).join('\n');
    }
    expect(message).toMatch(/line 2: cannot read this value/);
    expect(message).not.toContain(SECRET);
  });

  it('warns about a TOML table, which oauth2-proxy settings never are', () => {
    const { warnings } = importConfig('upstreams = [ "http://127.0.0.1:1" ]\n[extra]\nkey = 1\n', 'x.cfg');
    expect(warnings).toContainEqual(expect.stringMatching(/^extra: not imported/));
  });
});
