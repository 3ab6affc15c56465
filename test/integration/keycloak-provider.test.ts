// An `oidc` provider shaped like Keycloak: a second real OpenID provider (oidc-provider, the
// engine's own built-in IdP started on its own) whose people carry realm roles
// (`realm_access.roles`), a client's roles (`resource_access.shop.roles`) and a namespaced claim
// whose name has dots (`https://example.com/roles`). Portcullis signs people in through it and
// takes its bearer tokens: rolesClaim (nested and dotted), allowedRoles at upstream and rule
// level, claim headers reaching a real Flask app, /oauth2/auth answering nginx for a bearer token,
// and the hostile tokens that must get a 401 that says why (docs/configuration.md, "Claims" and
// "Bearer tokens").
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Persona } from '../../electron/engine/config/types.ts';
import { startBuiltinIdp, type BuiltinIdp } from '../../electron/engine/idp/builtin-idp.ts';
import { KEY_FILE_NAME } from '../../electron/engine/idp/keys.ts';
import { createBrowser, type Browser } from '../support/browser.ts';
import { rawRequest, startTestEngine, type TestEngine } from '../support/engine.ts';
import { startFlask, type Echo, type Upstream } from '../support/flask.ts';
import { freePort } from '../support/free-port.ts';
import { startNginx, type RunningNginx } from '../support/nginx.ts';
import { signIn } from '../support/signin.ts';

const KEYCLOAK_PEOPLE: Persona[] = [
  {
    username: 'kim', email: 'kim@example.test', name: 'Kim', groups: ['staff'],
    claims: {
      realm_access: { roles: ['reporter', 'viewer'] },
      resource_access: { shop: { roles: ['buyer'] }, account: { roles: ['manage-account'] } },
      'https://example.com/roles': ['auditor'],
      tid: 'kc-tenant-1',
    },
  },
  {
    username: 'lee', email: 'lee@example.test', name: 'Lee', groups: ['staff'],
    claims: { realm_access: { roles: ['viewer'] }, resource_access: { shop: { roles: [] } }, 'https://example.com/roles': [] },
  },
];

const CLAIM_HEADERS = {
  'X-User-Roles': 'realm_access.roles',
  'X-Shop-Roles': 'resource_access.shop.roles',
  'X-Namespaced-Roles': 'https://example.com/roles',
  'X-User-Tenant': 'tid',
  'X-Auth-User': '$',
};

let flask: Upstream;
let kcHome: string;
let kc: BuiltinIdp;
let t: TestEngine;
let ports: { reports: number; audit: number; local: number };
const notices: string[] = [];

beforeAll(async () => {
  flask = await startFlask();
  kcHome = await mkdtemp(join(tmpdir(), 'portcullis-keycloak-like-'));
  kc = await startBuiltinIdp({ port: 0, users: KEYCLOAK_PEOPLE, dataDir: kcHome });
  ports = { reports: await freePort(), audit: await freePort(), local: 0 };
  const kcProvider = { type: 'oidc', issuer: kc.issuer, clientId: kc.clientId, clientSecret: kc.clientSecret, scopes: ['openid', 'email', 'profile', 'groups'] };
  t = await startTestEngine({
    target: flask.url,
    log: (line) => notices.push(line),
    providers: [
      { ...kcProvider, id: 'kc', rolesClaim: 'realm_access.roles' },
      { ...kcProvider, id: 'kc-audit', rolesClaim: 'https://example.com/roles' },
    ],
    upstreams: ({ app }) => {
      ports.local = app;
      const common = { enabled: true, target: flask.url, bearerTokens: true };
      return [
        {
          ...common, id: 'reports', listen: { host: '127.0.0.1', port: ports.reports }, provider: 'kc',
          allowedRoles: ['reporter'], extraAudiences: ['reports-api'], claimHeaders: CLAIM_HEADERS,
          rules: [
            { id: 'admin', path: '^/admin/', allowedRoles: ['realm-admin'] },
            { id: 'lobby', path: '^/lobby/', allowedRoles: ['viewer'] },
          ],
        },
        { ...common, id: 'audit', listen: { host: '127.0.0.1', port: ports.audit }, provider: 'kc-audit', allowedRoles: ['auditor'], claimHeaders: { 'X-Audit-Roles': 'https://example.com/roles' } },
        { ...common, id: 'local', listen: { host: '127.0.0.1', port: app }, provider: 'builtin' },
      ];
    },
  });
});

afterAll(async () => {
  await t?.close();
  await kc?.close();
  await flask?.stop();
  if (kcHome) await rm(kcHome, { recursive: true, force: true });
});

const url = (port: number) => `http://127.0.0.1:${port}`;
const echoOf = (res: { json<T>(): T }) => res.json<Echo>();
const lastLog = async (upstream: string) => (await t.engine.listRequests({ upstream, limit: 1 }))[0];
const bearerGet = (port: number, token: string, path = '/api/data', headers: Record<string, string> = {}) =>
  rawRequest(port, 'GET', path, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/html', ...headers } });
const kcToken = async (persona: string, extra: { audience?: string } = {}) => (await kc.mint({ persona, expiresInSeconds: 300, ...extra })).accessToken;

describe('signing in through a Keycloak-shaped provider', () => {
  const browsers: Record<string, Browser> = {};
  beforeAll(async () => {
    for (const person of ['kim', 'lee']) {
      browsers[person] = createBrowser();
      await signIn(browsers[person], url(ports.reports), person);
    }
  });

  it('kim reaches Flask with her realm roles (rolesClaim realm_access.roles) and every claim header', async () => {
    const res = await browsers.kim.get(`${url(ports.reports)}/page`);
    expect(res.status).toBe(200);
    const seen = res.json<Echo>().headers;
    expect(seen['x-forwarded-email']).toBe('kim@example.test');
    expect(seen['x-forwarded-groups']).toBe('staff');
    expect(seen['x-user-roles']).toBe('reporter,viewer');
    expect(seen['x-shop-roles']).toBe('buyer');
    expect(seen['x-namespaced-roles']).toBe('auditor');
    expect(seen['x-user-tenant']).toBe('kc-tenant-1');
    expect(JSON.parse(seen['x-auth-user'])).toMatchObject({ sub: 'kim', realm_access: { roles: ['reporter', 'viewer'] }, resource_access: { shop: { roles: ['buyer'] } } });
    expect(await lastLog('reports')).toMatchObject({ status: 200, decision: 'allowed', rule: 'allowedRoles', reason: 'allowed: has role reporter' });
  });

  it('the session shows the roles read through rolesClaim', async () => {
    const sessions = await t.engine.listSessions();
    const kim = sessions.find((s) => s.upstreamId === 'reports' && s.email === 'kim@example.test');
    expect(kim).toMatchObject({ providerId: 'kc', groups: ['staff'], roles: ['reporter', 'viewer'] });
  });

  it('lee, without the upstream\'s role, is refused in the words of allowedGroups', async () => {
    const res = await browsers.lee.get(`${url(ports.reports)}/page`);
    expect(res.status).toBe(403);
    expect(res.body).toContain('needs role reporter; has viewer');
    expect(await lastLog('reports')).toMatchObject({ status: 403, decision: 'denied', rule: 'allowedRoles', reason: 'denied: needs role reporter; has viewer' });
  });

  it.each([
    ['kim', '/admin/x', 403, 'admin', 'denied by rule admin (^/admin/): needs role realm-admin; has reporter, viewer'],
    ['kim', '/lobby/x', 200, 'lobby', 'allowed by rule lobby (^/lobby/): has role viewer'],
    // the rule's roles stand in for the upstream's: lee may enter the lobby
    ['lee', '/lobby/x', 200, 'lobby', 'allowed by rule lobby (^/lobby/): has role viewer'],
  ])('%s GET %s under a rule\'s allowedRoles -> %i', async (person, path, status, rule, reason) => {
    const res = await browsers[person].get(`${url(ports.reports)}${path}`);
    expect(res.status).toBe(status);
    expect(await lastLog('reports')).toMatchObject({ status, rule, reason });
  });

  it('a dotted claim name works as rolesClaim: the audit upstream reads https://example.com/roles', async () => {
    const kim = createBrowser();
    await signIn(kim, url(ports.audit), 'kim');
    const res = await kim.get(`${url(ports.audit)}/audit`);
    expect(res.status).toBe(200);
    expect(res.json<Echo>().headers['x-audit-roles']).toBe('auditor');
    const lee = createBrowser();
    await signIn(lee, url(ports.audit), 'lee');
    const refused = await lee.get(`${url(ports.audit)}/audit`);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('needs role auditor; has no roles');
  });
});

describe('bearer tokens of the Keycloak-shaped provider', () => {
  it('pass with identity and claim headers, no cookie, a log line naming the bearer token', async () => {
    const token = await kcToken('kim');
    const res = await bearerGet(ports.reports, token);
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    const seen = echoOf(res).headers;
    expect(seen['x-forwarded-email']).toBe('kim@example.test');
    expect(seen['x-user-roles']).toBe('reporter,viewer');
    expect(seen['x-shop-roles']).toBe('buyer');
    expect(seen['x-namespaced-roles']).toBe('auditor');
    expect(await lastLog('reports')).toMatchObject({ status: 200, reason: 'allowed: has role reporter (bearer token)' });
  });

  it('are judged by rules too', async () => {
    const res = await bearerGet(ports.reports, await kcToken('lee'), '/lobby/x');
    expect(res.status).toBe(200);
    const admin = await bearerGet(ports.reports, await kcToken('kim'), '/admin/x');
    expect(admin.status).toBe(403);
    expect(admin.json()).toMatchObject({ error: 'forbidden', rule: 'admin' });
  });

  it('pass the audit upstream through the dotted rolesClaim', async () => {
    const res = await bearerGet(ports.audit, await kcToken('kim'));
    expect(res.status).toBe(200);
    expect(echoOf(res).headers['x-audit-roles']).toBe('auditor');
  });
});

describe('hostile tokens', () => {
  let sign: (claims: Record<string, unknown>) => Promise<string>;
  const now = () => Math.floor(Date.now() / 1000);
  beforeAll(async () => {
    // Signed with the Keycloak-shaped provider's own key (from its data dir), so that only the
    // claim under test is wrong and the refusal must name that claim.
    const { signingKeys } = JSON.parse(await readFile(join(kcHome, KEY_FILE_NAME), 'utf8')) as { signingKeys: JWK[] };
    const key = await importJWK(signingKeys[0], 'RS256');
    sign = (claims) =>
      new SignJWT({ sub: 'kim', email: 'kim@example.test', realm_access: { roles: ['reporter'] }, iss: kc.issuer, aud: kc.clientId, iat: now() - 10, exp: now() + 300, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: signingKeys[0].kid, typ: 'at+jwt' })
        .sign(key);
  });

  const cases: Array<[string, 'reports' | 'local', () => Promise<string>, string]> = [
    ['expired (beyond the 60 s leeway)', 'reports', () => sign({ iat: now() - 3600, exp: now() - 120 }), 'token expired'],
    ['not valid yet (nbf in the future)', 'reports', () => sign({ nbf: now() + 600 }), 'token not valid yet (nbf)'],
    ['of the wrong issuer', 'reports', () => sign({ iss: 'http://127.0.0.1:1/realms/other' }), ''],
    ['for the wrong audience', 'reports', () => sign({ aud: 'somebody-else' }), 'wrong audience (expected portcullis or reports-api)'],
    ['of another provider (Keycloak-shaped, sent to the built-in provider\'s upstream)', 'local', () => kcToken('kim'), ''],
  ];

  it.each(cases)('a token %s gets 401 with the reason, never a redirect, and stays out of the log', async (_case, upstream, make, why) => {
    const port = ports[upstream];
    const expected = why || `wrong issuer (expected ${upstream === 'local' ? `http://127.0.0.1:${t.idpPort}` : kc.issuer})`;
    const token = await make();
    notices.length = 0;
    const res = await bearerGet(port, token);
    expect(res.status).toBe(401);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['www-authenticate']).toBe(`Bearer error="invalid_token", error_description="${expected}"`);
    expect(res.json()).toEqual({ error: 'invalid_token', error_description: expected });
    expect(await lastLog(upstream)).toMatchObject({ status: 401, decision: 'unauthenticated', rule: 'bearerTokens', reason: `bearer token refused: ${expected}` });
    const everything = JSON.stringify(await t.engine.listRequests()) + notices.join('\n');
    for (const part of token.split('.')) expect(everything).not.toContain(part);
  });

  it('headers beyond the listener\'s 128 KiB get 431 (below it, the 401 that says "token too large")', async () => {
    expect((await bearerGet(ports.reports, 'x'.repeat(129 * 1024))).status).toBe(431);
  });
});

describe('/oauth2/auth with a bearer token (the nginx auth_request endpoint)', () => {
  it('answers 202 with the identity and claim headers', async () => {
    const res = await rawRequest(ports.reports, 'GET', '/oauth2/auth', { headers: { Authorization: `Bearer ${await kcToken('kim')}` } });
    expect(res.status).toBe(202);
    expect(res.headers['x-auth-request-email']).toBe('kim@example.test');
    expect(res.headers['x-auth-request-groups']).toBe('staff');
    expect(res.headers['x-user-roles']).toBe('reporter,viewer');
    expect(res.headers['x-namespaced-roles']).toBe('auditor');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await lastLog('reports')).toMatchObject({ status: 202, decision: 'allowed', reason: 'auth request allowed: no per-request rules (bearer token)' });
  });

  it('answers 403 for a token whose roles do not pass', async () => {
    const res = await rawRequest(ports.reports, 'GET', '/oauth2/auth', { headers: { Authorization: `Bearer ${await kcToken('lee')}` } });
    expect(res.status).toBe(403);
    expect(res.text).toContain('needs role reporter; has viewer');
  });

  it('answers 401 with the reason for a bad token', async () => {
    const res = await rawRequest(ports.reports, 'GET', '/oauth2/auth', { headers: { Authorization: `Bearer ${await kcToken('kim', { audience: 'elsewhere' })}` } });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="wrong audience (expected portcullis or reports-api)"');
    expect(await lastLog('reports')).toMatchObject({ status: 401, reason: 'bearer token refused: wrong audience (expected portcullis or reports-api)' });
  });

  describe('through a real nginx', () => {
    let nginx: RunningNginx;
    beforeAll(async () => {
      nginx = await startNginx((_dirs, p) => `
  server {
    listen 127.0.0.1:${p.port};
    location = /_auth {
      internal;
      proxy_pass http://127.0.0.1:${ports.reports}/oauth2/auth;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
    }
    location / {
      auth_request /_auth;
      auth_request_set $email $upstream_http_x_auth_request_email;
      auth_request_set $claim_x_user_roles $upstream_http_x_user_roles;
      auth_request_set $claim_x_user_tenant $upstream_http_x_user_tenant;
      proxy_set_header X-Forwarded-Email $email;
      proxy_set_header X-User-Roles $claim_x_user_roles;
      proxy_set_header X-User-Tenant $claim_x_user_tenant;
      proxy_pass ${flask.url};
    }
  }`);
    });
    afterAll(async () => nginx?.stop());

    it('passes a good token\'s identity and claim headers on to Flask, replacing forged ones', async () => {
      const res = await rawRequest(nginx.port, 'GET', '/report', { headers: { Authorization: `Bearer ${await kcToken('kim')}`, 'X-User-Tenant': 'forged' } });
      expect(res.status).toBe(200);
      const seen = echoOf(res).headers;
      expect(seen['x-forwarded-email']).toBe('kim@example.test');
      expect(seen['x-user-roles']).toBe('reporter,viewer');
      expect(seen['x-user-tenant']).toBe('kc-tenant-1');
    });

    it('turns a bad token away with 401', async () => {
      const res = await rawRequest(nginx.port, 'GET', '/report', { headers: { Authorization: 'Bearer not-a-jwt' } });
      expect(res.status).toBe(401);
    });
  });
});
