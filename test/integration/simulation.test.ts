// Group simulation through the control API of a running `portcullis serve` (docs/control-api.md):
// while it runs, rules, headers and /oauth2/auth see the simulated groups, every response says so
// with `X-Portcullis-Simulated: groups`, and the request log marks the decisions as simulated;
// ending it brings the user's real groups back on the very next request.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EchoRequest, EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import type { RequestLogEntry } from '../../electron/engine/api.ts';
import { createBrowser, type Browser } from '../support/browser.ts';
import { consoleApi, type ConsoleApi } from '../support/console-api.ts';
import { signInWithHint } from '../support/signin.ts';

const SIMULATED = 'x-portcullis-simulated';

test.override('setup', { scope: 'file' }, {
  upstreams: [
    { id: 'admin', allowedGroups: ['admins'] },
    { id: 'open' },
  ],
});

let echo: EchoTarget;
let pc: Portcullis;
let api: ConsoleApi;
let alice: Browser;
let admin: string;
let open: string;

test.beforeAll(async ({ echo: target, portcullis }) => {
  [echo, pc] = [target, portcullis];
  api = consoleApi(pc);
  admin = pc.url('admin');
  open = pc.url('open');
  alice = createBrowser();
  await signInWithHint(alice, admin, 'alice');
  await signInWithHint(alice, open, 'alice');
});

const simulate = (id: string, groups: string[]) => api.call('PUT', `upstreams/${id}/simulation`, { groups });
const endSimulation = (id: string) => api.call('DELETE', `upstreams/${id}/simulation`);

describe('before any simulation', () => {
  it('alice reaches the admins-only upstream with her real groups', async () => {
    const res = await alice.get(`${admin}/reports`);
    expect(res.status).toBe(200);
    expect(res.headers[SIMULATED]).toBeUndefined();
    expect(res.json<EchoRequest>().headers['x-forwarded-groups']).toBe('admins,devs');
  });
});

describe('simulating alice with only "devs"', () => {
  beforeAll(async () => {
    expect((await simulate('admin', ['devs'])).status).toBe(200);
    expect((await simulate('open', ['devs'])).status).toBe(200);
  });

  it('denies the admins-only upstream with 403, the simulation header and a page naming the rule', async () => {
    const before = echo.requests.length;
    const res = await alice.get(`${admin}/reports`);
    expect(res.status).toBe(403);
    expect(res.headers[SIMULATED]).toBe('groups');
    expect(res.body).toContain('allowedGroups');
    expect(res.body).toContain('admins');
    expect(res.body).toMatch(/simulated/i);
    expect(echo.requests.length).toBe(before);
  });

  it('passes the simulated groups to a target without group rules, in request and response headers', async () => {
    const res = await alice.get(`${open}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.headers[SIMULATED]).toBe('groups');
    expect(res.headers['x-auth-request-groups']).toBe('devs');
    const seen = res.json<EchoRequest>();
    expect(seen.headers['x-forwarded-groups']).toBe('devs');
    expect(seen.headers['x-forwarded-email']).toBe('alice@example.test');
    expect(seen.headers[SIMULATED]).toBeUndefined();
  });

  it.each([
    { listener: 'admin', query: '', status: 403 },
    { listener: 'open', query: '', status: 202 },
    { listener: 'open', query: '?allowed_groups=devs', status: 202 },
    { listener: 'open', query: '?allowed_groups=admins', status: 403 },
  ])('/oauth2/auth$query on $listener answers $status', async ({ listener, query, status }) => {
    const res = await alice.get(`${pc.url(listener)}/oauth2/auth${query}`);
    expect(res.status).toBe(status);
    expect(res.headers[SIMULATED]).toBe('groups');
    if (status === 202) expect(res.headers['x-auth-request-groups']).toBe('devs');
  });

  it('logs the denial as simulated, with the reason saying so', async () => {
    const res = await api.call<RequestLogEntry[]>('GET', 'requests?upstream=admin');
    expect(res.status).toBe(200);
    expect(res.body.every((entry) => entry.upstreamId === 'admin')).toBe(true);
    const denied = res.body.find((entry) => entry.path === '/reports' && entry.decision === 'denied');
    expect(denied).toMatchObject({ status: 403, simulated: true, rule: 'allowedGroups', user: 'alice@example.test' });
    expect(denied!.reason).toContain('(simulated)');
  });

  it.each([
    { what: 'groups not a list', body: { groups: 'devs' } },
    { what: 'a group not a string', body: { groups: [42] } },
    { what: 'no groups', body: {} },
    { what: 'an unknown key', body: { groups: ['devs'], admin: true } },
  ])('rejects a body with $what (400, JSON error) and keeps the simulation', async ({ body }) => {
    const res = await api.call<{ error: { code: string; message: string } }>('PUT', 'upstreams/open/simulation', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message.length).toBeGreaterThan(0);
    expect((await alice.get(`${open}/still`)).json<EchoRequest>().headers['x-forwarded-groups']).toBe('devs');
  });

  it('refuses a simulation for an upstream that does not exist', async () => {
    const res = await api.call<{ error: { code: string; message: string } }>('PUT', 'upstreams/nope/simulation', { groups: ['devs'] });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/nope/);
  });
});

describe('ending the simulation', () => {
  beforeAll(async () => {
    expect((await endSimulation('admin')).status).toBe(200);
    expect((await endSimulation('open')).status).toBe(200);
  });

  it.each(['admin', 'open'])('the very next request to %s is 200 with alice\'s real groups and no simulation header', async (id) => {
    const res = await alice.get(`${pc.url(id)}/reports`);
    expect(res.status).toBe(200);
    expect(res.headers[SIMULATED]).toBeUndefined();
    expect(res.headers['x-auth-request-groups']).toBe('admins,devs');
    expect(res.json<EchoRequest>().headers['x-forwarded-groups']).toBe('admins,devs');
  });

  it('/oauth2/auth on the admins-only upstream is 202 again', async () => {
    const res = await alice.get(`${admin}/oauth2/auth`);
    expect(res.status).toBe(202);
    expect(res.headers[SIMULATED]).toBeUndefined();
  });
});
