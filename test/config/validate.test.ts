// validateConfig: every problem class, named by its JSON path; valid configs come back with defaults.
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, withUpstreamDefaults } from '../../electron/engine/config/defaults.ts';
import { findPortsInUse, validateConfig, warningsFor } from '../../electron/engine/config/validate.ts';
import type { PortcullisConfig } from '../../electron/engine/config/types.ts';

const base = (): any => structuredClone(DEFAULT_CONFIG);

// A config that sets every key once, with its secrets as references (docs/configuration.md).
const everyKeyExample = {
  upstreams: [
    {
      id: 'app', name: 'My Streamlit app', enabled: true,
      listen: { host: '127.0.0.1', port: 4180 },
      target: 'http://127.0.0.1:8501',
      provider: 'builtin',
      allowedGroups: [], allowedEmails: [], emailDomains: ['*'],
      skipAuthRoutes: ['GET=^/healthz$'], apiRoutes: ['^/api/'],
      passUserHeaders: true, passAccessToken: false,
      passAuthorizationHeader: false, setXAuthRequest: true,
      websockets: true,
      redirectOrigins: ['http://localhost:8080'],
    },
  ],
  providers: [
    { id: 'builtin', type: 'builtin' },
    {
      id: 'auth0', type: 'oidc', issuer: 'https://tenant.eu.auth0.com/',
      clientId: 'abc', clientSecret: { env: 'AUTH0_CLIENT_SECRET' },
      scopes: ['openid', 'email', 'profile'], groupsClaim: 'groups',
      authParams: { audience: 'https://api.example' },
    },
    { id: 'gh', type: 'github', clientId: 'def', clientSecret: { secretRef: 'provider:gh:clientSecret' }, org: 'acme', team: 'platform' },
  ],
  builtinIdp: {
    port: 4190,
    users: [{ username: 'alice', email: 'alice@example.test', name: 'Alice Admin', groups: ['admins', 'devs'] }],
  },
};

const githubProvider = { id: 'gh', type: 'github', clientId: 'x', clientSecret: { env: 'GH' } };
const oidcProvider = { id: 'o', type: 'oidc', issuer: 'https://i.example', clientId: 'x' };

describe('valid configs', () => {
  it.each([
    ['the embedded default', base()],
    ['a config that sets every key', everyKeyExample],
    ['a minimal upstream', { upstreams: [{ id: 'a', listen: { host: 'localhost', port: 5000 }, target: 'https://127.0.0.1:3000/base' }], providers: [{ id: 'builtin', type: 'builtin' }] }],
    ['no upstreams at all', { upstreams: [], providers: [] }],
    ['a non-loopback host that is acknowledged', { upstreams: [{ id: 'a', listen: { host: '0.0.0.0', port: 5000 }, target: 'http://127.0.0.1:3000', allowNonLoopback: true }], providers: [{ id: 'builtin', type: 'builtin' }] }],
    ['an upstream on the IdP default port when no builtin provider runs', { upstreams: [{ id: 'a', listen: { host: '127.0.0.1', port: 4190 }, target: 'http://127.0.0.1:3000', provider: 'gh' }], providers: [githubProvider] }],
    ['an upstream on the configured IdP port when no builtin provider runs', { upstreams: [{ id: 'a', listen: { host: '127.0.0.1', port: 5000 }, target: 'http://127.0.0.1:3000', provider: 'gh' }], providers: [githubProvider], builtinIdp: { port: 5000 } }],
    ['a target on the IdP default port when no builtin provider runs', { upstreams: [{ id: 'a', listen: { host: '127.0.0.1', port: 5000 }, target: 'http://127.0.0.1:4190', provider: 'gh' }], providers: [githubProvider] }],
    ['a github team inside its org', { upstreams: [], providers: [{ ...githubProvider, org: 'acme', team: 'platform' }] }],
    ['authParams that do not belong to the flow', { upstreams: [], providers: [{ ...oidcProvider, authParams: { audience: 'https://api.example', prompt: 'login', acr_values: 'mfa', login_hint: 'a', organization: 'org_1' } }] }],
    ['ephemeral ports (0) used twice', { upstreams: [{ id: 'a', listen: { host: '127.0.0.1', port: 0 }, target: 'http://127.0.0.1:3000' }, { id: 'b', listen: { host: '127.0.0.1', port: 0 }, target: 'http://127.0.0.1:3001' }], providers: [{ id: 'builtin', type: 'builtin' }], builtinIdp: { port: 0 }, console: { port: 0 } }],
  ])('%s', (_name, raw) => {
    const { config, problems } = validateConfig(raw);
    expect(problems).toEqual([]);
    expect(config?.version).toBe(1);
  });

  it('fills every default', () => {
    const { config } = validateConfig({
      upstreams: [{ id: 'a', listen: { host: '127.0.0.1', port: 5000 }, target: 'http://127.0.0.1:3000' }],
      providers: [{ id: 'builtin', type: 'builtin' }],
      builtinIdp: { users: [{ username: 'carol', email: 'carol@example.test' }] },
    });
    expect(config!.upstreams[0]).toEqual(withUpstreamDefaults({ id: 'a', listen: { host: '127.0.0.1', port: 5000 }, target: 'http://127.0.0.1:3000' }));
    expect(config!.upstreams[0]).toMatchObject({ enabled: true, provider: 'builtin', emailDomains: ['*'], passUserHeaders: true, setXAuthRequest: true, websockets: true, passAccessToken: false });
    expect(config!.builtinIdp).toEqual({ port: 4190, users: [{ username: 'carol', email: 'carol@example.test', name: 'carol', groups: [] }] });
    expect(config!.console).toEqual({ port: 4100 });
  });

  it('fills the default personas when builtinIdp is left out', () => {
    const { config } = validateConfig({ upstreams: [], providers: [] });
    expect(config!.builtinIdp.users.map((u) => u.username)).toEqual(['alice', 'bob']);
  });

  it('does not modify its input', () => {
    const raw = { upstreams: [{ id: 'a', listen: 4180, target: 'http://127.0.0.1:3000' }], providers: [{ id: 'builtin', type: 'builtin' }] };
    const copy = structuredClone(raw);
    validateConfig(raw);
    expect(raw).toEqual(copy);
  });
});

type Mutation = (c: any) => void;
const problemCases: Array<[string, Mutation, string, RegExp]> = [
  ['not an object', () => undefined, '$', /JSON object/],
  ['unknown top-level key', (c) => (c.extra = 1), '$.extra', /unknown key "extra"/],
  ['unknown key with a suggestion', (c) => (c.upstreams[0].listn = {}), '$.upstreams[0].listn', /unknown key "listn" \(did you mean "listen"\?\)/],
  ['unknown key in listen', (c) => (c.upstreams[0].listen.addr = 'x'), '$.upstreams[0].listen.addr', /unknown key "addr"/],
  ['unknown provider key', (c) => (c.providers[0].issuer = 'https://x'), '$.providers[0].issuer', /unknown key "issuer"/],
  ['unknown secret key', (c) => c.providers.push({ id: 'o', type: 'oidc', issuer: 'https://i.example', clientId: 'x', clientSecret: { vault: 'x' } }), '$.providers[1].clientSecret.vault', /unknown key "vault"; known keys: env, secretRef/],
  ['providerSignOut on github', (c) => c.providers.push({ ...githubProvider, providerSignOut: true }), '$.providers[1].providerSignOut', /GitHub has no provider sign-out/],
  ['providerSignOut false on github', (c) => c.providers.push({ ...githubProvider, providerSignOut: false }), '$.providers[1].providerSignOut', /GitHub has no provider sign-out.*remove providerSignOut/],
  ['missing upstreams', (c) => delete c.upstreams, '$.upstreams', /is required/],
  ['missing target', (c) => delete c.upstreams[0].target, '$.upstreams[0].target', /is required/],
  ['missing listen port', (c) => delete c.upstreams[0].listen.port, '$.upstreams[0].listen.port', /is required/],
  ['missing oidc issuer', (c) => c.providers.push({ id: 'o', type: 'oidc', clientId: 'x' }), '$.providers[1].issuer', /is required/],
  ['wrong type (string port)', (c) => (c.upstreams[0].listen.port = '4180'), '$.upstreams[0].listen.port', /must be a whole number, not the string "4180"/],
  ['wrong type (boolean)', (c) => (c.upstreams[0].websockets = 'yes'), '$.upstreams[0].websockets', /must be true or false/],
  ['wrong type (list)', (c) => (c.upstreams[0].allowedGroups = 'admins'), '$.upstreams[0].allowedGroups', /must be an array/],
  ['fractional port', (c) => (c.upstreams[0].listen.port = 4180.5), '$.upstreams[0].listen.port', /whole number/],
  ['port too large', (c) => (c.upstreams[0].listen.port = 65536), '$.upstreams[0].listen.port', /from 0 to 65535/],
  ['huge number', (c) => (c.console.port = 1e308), '$.console.port', /from 0 to 65535/],
  ['negative port', (c) => (c.builtinIdp.port = -1), '$.builtinIdp.port', /from 0 to 65535/],
  ['unknown provider type', (c) => (c.providers[0].type = 'saml'), '$.providers[0].type', /one of "builtin", "oidc", "github"/],
  ['bad id', (c) => (c.upstreams[0].id = 'my app/../x'), '$.upstreams[0].id', /letters, digits/],
  ['newer version', (c) => (c.version = 99), '$.version', /newer Portcullis/],
  ['duplicate upstream id', (c) => c.upstreams.push({ ...c.upstreams[0], listen: { host: '127.0.0.1', port: 4181 } }), '$.upstreams[1].id', /duplicate upstream id "app" \(first used at \$\.upstreams\[0\]\.id\)/],
  ['duplicate provider id', (c) => c.providers.push({ id: 'builtin', type: 'builtin' }), '$.providers[1].id', /duplicate provider id "builtin"/],
  ['duplicate upstream ports', (c) => c.upstreams.push({ id: 'b', listen: { host: '127.0.0.1', port: 4180 }, target: 'http://127.0.0.1:9' }), '$.upstreams[1].listen.port', /port 4180 is already used by \$\.upstreams\[0\]\.listen\.port/],
  ['upstream on the IdP port', (c) => (c.upstreams[0].listen.port = 4190), '$.upstreams[0].listen.port', /already used by \$\.builtinIdp\.port/],
  ['upstream on the default IdP port', (c) => { delete c.builtinIdp.port; c.upstreams[0].listen.port = 4190; }, '$.upstreams[0].listen.port', /already used by \$\.builtinIdp\.port \(default\)/],
  ['upstream on the IdP port of a builtin provider listed after others', (c) => { c.providers.unshift(githubProvider); c.upstreams[0].listen.port = 4190; }, '$.upstreams[0].listen.port', /already used by \$\.builtinIdp\.port/],
  ['upstream on the default console port', (c) => { delete c.console; c.upstreams[0].listen.port = 4100; }, '$.upstreams[0].listen.port', /already used by \$\.console\.port \(default\)/],
  ['IdP on the console port', (c) => (c.builtinIdp.port = 4100), '$.console.port', /port 4100 is already used by \$\.builtinIdp\.port/],
  ['unknown provider id', (c) => (c.upstreams[0].provider = 'okta'), '$.upstreams[0].provider', /unknown provider "okta"; defined: builtin/],
  ['builtin upstream without a builtin provider', (c) => (c.providers = []), '$.upstreams[0].provider', /no \{ "id": "builtin", "type": "builtin" \} entry/],
  ['unparsable target', (c) => (c.upstreams[0].target = 'localhost:8501'), '$.upstreams[0].target', /http:\/\/ or https:\/\//],
  ['relative target', (c) => (c.upstreams[0].target = '/app'), '$.upstreams[0].target', /not an absolute URL/],
  ['non-http target', (c) => (c.upstreams[0].target = 'file:///etc/passwd'), '$.upstreams[0].target', /http:\/\/ or https:\/\//],
  ['target with credentials', (c) => (c.upstreams[0].target = 'http://u:p@127.0.0.1:8501'), '$.upstreams[0].target', /user name or password/],
  ['target that loops', (c) => (c.upstreams[0].target = 'http://localhost:4180'), '$.upstreams[0].target', /requests would loop/],
  ['unparsable issuer', (c) => c.providers.push({ id: 'o', type: 'oidc', issuer: 'not a url', clientId: 'x' }), '$.providers[1].issuer', /not an absolute URL/],
  ['non-http issuer', (c) => c.providers.push({ id: 'o', type: 'oidc', issuer: 'ftp://idp.example', clientId: 'x' }), '$.providers[1].issuer', /http:\/\/ or https:\/\//],
  ['bad github baseUrl', (c) => c.providers.push({ id: 'g', type: 'github', clientId: 'x', baseUrl: 'javascript:alert(1)' }), '$.providers[1].baseUrl', /http:\/\/ or https:\/\//],
  ['redirect origin with a path', (c) => (c.upstreams[0].redirectOrigins = ['http://localhost:8080/']), '$.upstreams[0].redirectOrigins[0]', /not a bare origin; write "http:\/\/localhost:8080"/],
  ['redirect origin with default port', (c) => (c.upstreams[0].redirectOrigins = ['https://example.com:443']), '$.upstreams[0].redirectOrigins[0]', /write "https:\/\/example.com"/],
  ['redirect origin not http', (c) => (c.upstreams[0].redirectOrigins = ['javascript:alert(1)']), '$.upstreams[0].redirectOrigins[0]', /not an http\(s\) origin/],
  ['redirect origin bare host', (c) => (c.upstreams[0].redirectOrigins = ['example.com']), '$.upstreams[0].redirectOrigins[0]', /not an http\(s\) origin/],
  ['email without @', (c) => (c.upstreams[0].allowedEmails = ['alice']), '$.upstreams[0].allowedEmails[0]', /exactly one "@"/],
  ['email with two @', (c) => (c.upstreams[0].allowedEmails = ['ok@example.test', 'a@b@example.test']), '$.upstreams[0].allowedEmails[1]', /exactly one "@"/],
  ['email domain with @', (c) => (c.upstreams[0].emailDomains = ['@example.com']), '$.upstreams[0].emailDomains[0]', /not a domain/],
  ['persona email', (c) => (c.builtinIdp.users[0].email = 'alice'), '$.builtinIdp.users[0].email', /exactly one "@"/],
  ['duplicate persona', (c) => c.builtinIdp.users.push({ ...c.builtinIdp.users[0] }), '$.builtinIdp.users[2].username', /duplicate persona username "alice"/],
  ['route regex that does not compile', (c) => (c.upstreams[0].skipAuthRoutes = ['GET=^/(health']), '$.upstreams[0].skipAuthRoutes[0]', /does not compile/],
  ['negated route regex that does not compile', (c) => (c.upstreams[0].skipAuthRoutes = ['^/ok', 'POST!=[']), '$.upstreams[0].skipAuthRoutes[1]', /does not compile/],
  ['api route regex that does not compile', (c) => (c.upstreams[0].apiRoutes = ['*api']), '$.upstreams[0].apiRoutes[0]', /does not compile/],
  ['empty route regex', (c) => (c.upstreams[0].apiRoutes = ['GET=']), '$.upstreams[0].apiRoutes[0]', /regex is empty/],
  ['non-loopback host', (c) => (c.upstreams[0].listen.host = '0.0.0.0'), '$.upstreams[0].listen.host', /reachable from other machines; set "allowNonLoopback": true/],
  ['LAN address', (c) => (c.upstreams[0].listen.host = '192.168.1.10'), '$.upstreams[0].listen.host', /allowNonLoopback/],
  ['invalid host', (c) => (c.upstreams[0].listen.host = 'bad host!'), '$.upstreams[0].listen.host', /not an IP address or host name/],
  ['empty env name', (c) => c.providers.push({ id: 'o', type: 'oidc', issuer: 'https://i.example', clientId: 'x', clientSecret: { env: '' } }), '$.providers[1].clientSecret.env', /names no environment variable/],
  ['invalid env name', (c) => c.providers.push({ id: 'o', type: 'oidc', issuer: 'https://i.example', clientId: 'x', clientSecret: { env: 'A B' } }), '$.providers[1].clientSecret.env', /not an environment variable name/],
  ['empty secretRef', (c) => c.providers.push({ id: 'g', type: 'github', clientId: 'x', clientSecret: { secretRef: '' } }), '$.providers[1].clientSecret.secretRef', /names no secret/],
  ['secret with two forms', (c) => c.providers.push({ id: 'g', type: 'github', clientId: 'x', clientSecret: { env: 'A', secretRef: 'b' } }), '$.providers[1].clientSecret', /must be a string, \{ "env"/],
  ['github team without org', (c) => c.providers.push({ ...githubProvider, team: 'platform' }), '$.providers[1].team', /has no "org": a GitHub team belongs to an organization/],
  ['authParams scope', (c) => c.providers.push({ ...oidcProvider, authParams: { scope: 'openid admin' } }), '$.providers[1].authParams.scope', /list the scopes in "scopes" instead/],
  ...['client_id', 'redirect_uri', 'response_type', 'response_mode', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'request', 'request_uri', 'Redirect_URI', 'STATE'].map(
    (key): [string, Mutation, string, RegExp] => [
      `authParams ${key}`,
      (c) => c.providers.push({ ...oidcProvider, authParams: { audience: 'ok', [key]: 'x' } }),
      `$.providers[1].authParams.${key}`,
      new RegExp(`"${key}" is set by Portcullis on every sign-in and cannot be overridden`),
    ],
  ),
  ['prototype pollution key', (c) => Object.defineProperty(c, '__proto__', { value: { polluted: true }, enumerable: true }), '$.__proto__', /forbidden key "__proto__"/],
  ['constructor key in authParams', (c) => c.providers.push({ id: 'o', type: 'oidc', issuer: 'https://i.example', clientId: 'x', authParams: { constructor: 'x' } }), '$.providers[1].authParams.constructor', /forbidden key/],
];

describe('problems, each with its JSON path', () => {
  it.each(problemCases)('%s', (_name, mutate, path, message) => {
    const raw = base();
    mutate(raw);
    const { config, problems } = validateConfig(_name === 'not an object' ? [raw] : raw);
    expect(config).toBeUndefined();
    expect(problems).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('reports every problem at once', () => {
    const raw = base();
    raw.upstreams[0].listen.port = 'x';
    raw.upstreams[0].target = 'nope';
    raw.upstreams[0].provider = 'missing';
    raw.unknown = true;
    const paths = validateConfig(raw).problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['$.upstreams[0].listen.port', '$.upstreams[0].target', '$.upstreams[0].provider', '$.unknown']));
  });

  it('refuses JSON with a __proto__ key without polluting prototypes', () => {
    const raw = JSON.parse('{"upstreams":[],"providers":[],"__proto__":{"polluted":true}}');
    expect(validateConfig(raw).problems).toContainEqual({ path: '$.__proto__', message: 'forbidden key "__proto__"' });
    expect(({} as any).polluted).toBeUndefined();
  });

  it('refuses absurdly deep nesting without overflowing the stack', () => {
    let deep: any = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const { problems } = validateConfig({ upstreams: deep, providers: [] });
    expect(problems[0].message).toMatch(/nesting deeper than/);
  });

  it('names keys that are not identifiers with brackets', () => {
    const raw = base();
    raw['my key'] = 1;
    expect(validateConfig(raw).problems).toContainEqual({ path: '$["my key"]', message: expect.stringMatching(/unknown key/) });
  });
});

describe('warningsFor', () => {
  const config = (mutate: Mutation): PortcullisConfig => {
    const raw = base();
    mutate(raw);
    const { config: valid, problems } = validateConfig(raw);
    expect(problems).toEqual([]);
    return valid!;
  };
  it.each<[string, Mutation, RegExp]>([
    ['non-loopback listener', (c) => Object.assign(c.upstreams[0], { listen: { host: '0.0.0.0', port: 4180 }, allowNonLoopback: true }), /upstream app listens on 0\.0\.0\.0: reachable from other machines/],
    ['open to every GitHub account', (c) => { c.providers.push({ id: 'gh', type: 'github', clientId: 'x', clientSecret: { env: 'GH' } }); c.upstreams[0].provider = 'gh'; }, /any account at provider gh may sign in/],
    ['literal secret', (c) => c.providers.push({ id: 'gh', type: 'github', clientId: 'x', clientSecret: 'hunter2' }), /\$\.providers\[1\]\.clientSecret is written in the settings in clear text/],
  ])('%s', (_name, mutate, expected) => {
    const warnings = warningsFor(config(mutate));
    expect(warnings).toContainEqual(expect.stringMatching(expected));
    expect(warnings.join('\n')).not.toContain('hunter2');
  });

  it('has nothing to say about the default', () => {
    expect(warningsFor(validateConfig(base()).config!)).toEqual([]);
  });
});

describe('findPortsInUse', () => {
  const listen = () =>
    new Promise<Server>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    });

  it('names the path of a port another program holds, and passes free ones', async () => {
    const busy = await listen();
    const free = await listen();
    const freePort = (free.address() as { port: number }).port;
    await new Promise((r) => free.close(r));
    try {
      const raw = base();
      raw.upstreams[0].listen.port = (busy.address() as { port: number }).port;
      raw.upstreams.push({ id: 'b', listen: { host: '127.0.0.1', port: freePort }, target: 'http://127.0.0.1:9' });
      raw.builtinIdp.port = 0;
      raw.console.port = 0;
      const problems = await findPortsInUse(validateConfig(raw).config!);
      expect(problems).toEqual([{ path: '$.upstreams[0].listen.port', message: expect.stringMatching(/in use by another program/) }]);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it.each([
    ['checks the IdP port when a builtin provider uses it', [{ id: 'builtin', type: 'builtin' }], ['$.builtinIdp.port']],
    ['skips the IdP port when no builtin provider runs', [githubProvider], []],
  ])('%s', async (_name, providers, paths) => {
    const busy = await listen();
    try {
      const raw = { upstreams: [], providers, builtinIdp: { port: (busy.address() as { port: number }).port }, console: { port: 0 } };
      const problems = await findPortsInUse(validateConfig(raw).config!);
      expect(problems.map((p) => p.path)).toEqual(paths);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });
});

describe("the built-in provider's claims, service clients, lifetimes and clock", () => {
  const reportsJob = { clientId: 'reports-job', clientSecret: { env: 'REPORTS_JOB_SECRET' }, claims: { roles: ['reporter'] } };

  it('keeps them as written, next to the filled defaults', () => {
    const raw = base();
    raw.builtinIdp.users[0].claims = { realm_access: { roles: ['admin'] }, 'https://example.com/roles': ['owner'] };
    raw.builtinIdp.users[0].accessTokenTtl = 60;
    Object.assign(raw.builtinIdp, { clients: [reportsJob], accessTokenTtl: 300, refreshTokenTtl: 5, clockSkewSeconds: -600 });
    const { config, problems } = validateConfig(raw);
    expect(problems).toEqual([]);
    expect(config!.builtinIdp).toMatchObject({ clients: [reportsJob], accessTokenTtl: 300, refreshTokenTtl: 5, clockSkewSeconds: -600 });
    expect(config!.builtinIdp.users[0]).toMatchObject({ claims: raw.builtinIdp.users[0].claims, accessTokenTtl: 60 });
  });

  it.each<[string, Mutation, string, RegExp]>([
    ...['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'nonce', 'auth_time', 'azp', 'at_hash', 'c_hash', 'jti', 'sid'].map(
      (claim): [string, Mutation, string, RegExp] => [
        `persona claim ${claim}`,
        (c) => (c.builtinIdp.users[1].claims = { plan: 'pro', [claim]: 'x' }),
        `$.builtinIdp.users[1].claims.${claim}`,
        new RegExp(`"${claim}" is a protocol claim the provider sets itself; it cannot be set here`),
      ],
    ),
    ['service client claim sub', (c) => (c.builtinIdp.clients = [{ ...reportsJob, claims: { sub: 'root' } }]), '$.builtinIdp.clients[0].claims.sub', /"sub" is a protocol claim/],
    ['claims that are not an object', (c) => (c.builtinIdp.users[0].claims = ['admin']), '$.builtinIdp.users[0].claims', /must be an object/],
    ['a claim with an empty name', (c) => (c.builtinIdp.users[0].claims = { '': 1 }), '$.builtinIdp.users[0].claims', /property name/],
    ['claims over 16 KiB', (c) => (c.builtinIdp.users[0].claims = { blob: 'x'.repeat(17_000) }), '$.builtinIdp.users[0].claims', /take \d+ bytes as JSON, more than 16384/],
    ['access token TTL under 5 s', (c) => (c.builtinIdp.accessTokenTtl = 4), '$.builtinIdp.accessTokenTtl', /5/],
    ['access token TTL of 0', (c) => (c.builtinIdp.accessTokenTtl = 0), '$.builtinIdp.accessTokenTtl', /5/],
    ['fractional access token TTL', (c) => (c.builtinIdp.accessTokenTtl = 60.5), '$.builtinIdp.accessTokenTtl', /whole number/],
    ['access token TTL as a string', (c) => (c.builtinIdp.accessTokenTtl = '3600'), '$.builtinIdp.accessTokenTtl', /whole number, not the string "3600"/],
    ['access token TTL over a year', (c) => (c.builtinIdp.accessTokenTtl = 31_536_001), '$.builtinIdp.accessTokenTtl', /31536000/],
    ['negative refresh token TTL', (c) => (c.builtinIdp.refreshTokenTtl = -1), '$.builtinIdp.refreshTokenTtl', /5/],
    ['persona access token TTL under 5 s', (c) => (c.builtinIdp.users[0].accessTokenTtl = 1), '$.builtinIdp.users[0].accessTokenTtl', /5/],
    ['clock skew over 600 s', (c) => (c.builtinIdp.clockSkewSeconds = 601), '$.builtinIdp.clockSkewSeconds', /-600 to 600|600/],
    ['clock skew under -600 s', (c) => (c.builtinIdp.clockSkewSeconds = -601), '$.builtinIdp.clockSkewSeconds', /-600/],
    ['fractional clock skew', (c) => (c.builtinIdp.clockSkewSeconds = 1.5), '$.builtinIdp.clockSkewSeconds', /whole number/],
    ['duplicate service client id', (c) => (c.builtinIdp.clients = [reportsJob, { ...reportsJob }]), '$.builtinIdp.clients[1].clientId', /duplicate service client id "reports-job" \(first used at \$\.builtinIdp\.clients\[0\]\.clientId\)/],
    ['service client named portcullis', (c) => (c.builtinIdp.clients = [{ ...reportsJob, clientId: 'portcullis' }]), '$.builtinIdp.clients[0].clientId', /"portcullis" is the client id the built-in provider knows Portcullis by; choose another/],
    ['service client id with a slash', (c) => (c.builtinIdp.clients = [{ ...reportsJob, clientId: 'jobs/reports' }]), '$.builtinIdp.clients[0].clientId', /letters, digits/],
    ['service client without a secret', (c) => (c.builtinIdp.clients = [{ clientId: 'reports-job' }]), '$.builtinIdp.clients[0].clientSecret', /is required/],
    ['service client secret with an empty env name', (c) => (c.builtinIdp.clients = [{ ...reportsJob, clientSecret: { env: '' } }]), '$.builtinIdp.clients[0].clientSecret.env', /names no environment variable/],
    ['service client secret with a bad env name', (c) => (c.builtinIdp.clients = [{ ...reportsJob, clientSecret: { env: 'A B' } }]), '$.builtinIdp.clients[0].clientSecret.env', /not an environment variable name/],
    ['service client secret with an empty secretRef', (c) => (c.builtinIdp.clients = [{ ...reportsJob, clientSecret: { secretRef: '' } }]), '$.builtinIdp.clients[0].clientSecret.secretRef', /names no secret/],
    ['service client secret in two forms', (c) => (c.builtinIdp.clients = [{ ...reportsJob, clientSecret: { env: 'A', secretRef: 'b' } }]), '$.builtinIdp.clients[0].clientSecret', /must be a string, \{ "env"/],
    ['unknown service client key', (c) => (c.builtinIdp.clients = [{ ...reportsJob, grantTypes: ['password'] }]), '$.builtinIdp.clients[0].grantTypes', /unknown key "grantTypes"/],
  ])('refuses %s, naming the path', (_name, mutate, path, message) => {
    const raw = base();
    mutate(raw);
    const { config, problems } = validateConfig(raw);
    expect(config).toBeUndefined();
    expect(problems).toContainEqual({ path, message: expect.stringMatching(message) });
  });
});
