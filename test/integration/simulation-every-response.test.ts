// While a group simulation runs on a listener, EVERY response of that listener says so with
// `X-Portcullis-Simulated: groups`: Portcullis's own endpoints, its redirects,
// 401s and error pages, and what the target answers; once it ends, none does.
import { beforeAll, describe, expect, it } from 'vitest';
import { test } from '../support/fixture.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { createBrowser, rawRequest, upgradeRequest, type Browser } from '../support/browser.ts';
import type { ConsoleApi } from '../support/console-api.ts';

const SIMULATED = 'x-portcullis-simulated';

test.override('setup', { scope: 'file' }, {
  upstreams: [{ id: 'app', allowedGroups: ['admins'], skipAuthRoutes: ['GET=^/public/'] }],
});

let api: ConsoleApi;
let app: string;
let alice: Browser;

test.beforeAll(async ({ api: control, app: url, alice: signedIn }) => {
  [api, app, alice] = [control, url, signedIn];
});

const simulate = async (groups: string[]) => expect((await api.call('PUT', 'upstreams/app/simulation', { groups })).status).toBe(200);
const fresh = (path: string, headers: [string, string][] = []) => createBrowser().get(`${app}${path}`, { headers });
const json: [string, string][] = [['Accept', 'application/json']];

interface Case {
  what: string;
  /** The simulated groups: `admins` passes the upstream's allowedGroups, `devs` does not. */
  groups: string[];
  status: number;
  send: () => Promise<{ status: number; headers: IncomingHttpHeaders }>;
}

const cases: Case[] = [
  { what: '/ping', groups: ['devs'], status: 200, send: () => alice.get(`${app}/ping`) },
  { what: '/ready', groups: ['devs'], status: 200, send: () => alice.get(`${app}/ready`) },
  { what: '/oauth2/userinfo', groups: ['devs'], status: 200, send: () => alice.get(`${app}/oauth2/userinfo`) },
  { what: '/oauth2/auth, allowed', groups: ['admins'], status: 202, send: () => alice.get(`${app}/oauth2/auth`) },
  { what: '/oauth2/auth, not allowed', groups: ['devs'], status: 403, send: () => alice.get(`${app}/oauth2/auth`) },
  { what: '/oauth2/auth, not signed in', groups: ['devs'], status: 401, send: () => fresh('/oauth2/auth') },
  { what: '/oauth2/sign_in', groups: ['devs'], status: 200, send: () => fresh('/oauth2/sign_in') },
  { what: '/oauth2/sign_out', groups: ['devs'], status: 302, send: () => fresh('/oauth2/sign_out') },
  { what: '/oauth2/start', groups: ['devs'], status: 302, send: () => fresh('/oauth2/start?rd=/x') },
  { what: 'the redirect to sign-in for a fresh browser', groups: ['devs'], status: 302, send: () => fresh('/private') },
  { what: 'the 401 JSON for Accept: application/json', groups: ['devs'], status: 401, send: () => fresh('/private', json) },
  { what: 'a skipAuthRoutes route', groups: ['devs'], status: 200, send: () => fresh('/public/logo.png') },
  { what: 'an allowed proxied response', groups: ['admins'], status: 200, send: () => alice.get(`${app}/reports`) },
  { what: 'the 403 page', groups: ['devs'], status: 403, send: () => alice.get(`${app}/reports`) },
  { what: 'the 400 page for a malformed path', groups: ['devs'], status: 400, send: () => rawRequest('GET', new URL(app), [], undefined, '/a%zz') },
  { what: 'a refused WebSocket handshake', groups: ['devs'], status: 401, send: () => upgradeRequest(`${app}/_stcore/stream`) },
];

describe('while a simulation is active', () => {
  it.each(cases)('$what ($status) carries X-Portcullis-Simulated: groups', async ({ groups, status, send }) => {
    await simulate(groups);
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers[SIMULATED]).toBe('groups');
  });

  it('the 401 JSON is still JSON and the 403 page still names the rule', async () => {
    await simulate(['devs']);
    expect((await fresh('/private', json)).headers['content-type']).toMatch(/application\/json/);
    expect((await alice.get(`${app}/reports`)).body).toContain('allowedGroups');
  });
});

describe('after the simulation ends', () => {
  beforeAll(async () => {
    expect((await api.call('DELETE', 'upstreams/app/simulation')).status).toBe(200);
  });

  // Statuses may differ from above (alice's real groups include admins); the mark is gone from all.
  it.each(cases)('$what carries no simulation header', async ({ send }) => {
    const res = await send();
    expect(res.status).toBeLessThan(500);
    expect(res.headers[SIMULATED]).toBeUndefined();
  });
});
