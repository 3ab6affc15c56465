// Paths and rules on a real listener (docs/configuration.md, "Paths and rules"): every row of the
// shared table is sent through `portcullis serve` to a real Flask API and a front-end target, and
// the explain call must say what the listener really answered — status, decision and rule.
import { describe, expect, it } from 'vitest';
import type { Explanation, RequestLogEntry } from '../../electron/engine/api.ts';
import type { Upstream } from '../support/flask.ts';
import { RULE_ROWS, SHOP_PATHS, SHOP_RULES, SHOP_SETTINGS, type Persona } from '../support/rules-table.ts';
import { createBrowser, type Browser } from '../support/browser.ts';
import type { ConsoleApi } from '../support/console-api.ts';
import type { EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { signedInBrowser } from '../support/signin.ts';

// The shop's front end is the echo target; its API paths go to the real Flask app.
test.override('setup', { scope: 'file' }, ({ flask }) => ({
  upstreams: [{ id: 'shop', ...SHOP_SETTINGS, paths: SHOP_PATHS(flask.url), rules: SHOP_RULES } as never],
}));

let flask: Upstream;
let front: EchoTarget;
let pc: Portcullis;
let api: ConsoleApi;
let shop: string;
const browsers = new Map<Persona | undefined, Browser>();

test.beforeAll(async ({ flask: flaskApi, echo, portcullis, api: control, app }) => {
  [flask, front, pc, api, shop] = [flaskApi, echo, portcullis, control, app];
  browsers.set(undefined, createBrowser());
  for (const persona of ['alice', 'bob', 'carol'] as const) browsers.set(persona, await signedInBrowser(shop, persona));
});

describe('every table row: explain says what the listener answers', () => {
  it.each(RULE_ROWS.map((row) => [`${row.method} ${row.path} as ${row.as ?? 'anonymous'}${row.simulate ? ` simulating ${row.simulate}` : ''}`, row] as const))(
    '%s',
    async (_name, row) => {
      if (row.simulate) expect((await api.call('PUT', 'upstreams/shop/simulation', { groups: row.simulate })).status).toBe(200);
      try {
        const res = await browsers.get(row.as)!.request(row.method, `${shop}${row.path}`);
        const explained = await api.call<Explanation>('POST', 'checks/explain', { upstream: 'shop', method: row.method, path: row.path, ...(row.as ? { persona: row.as } : {}) });
        expect(explained.status).toBe(200);
        expect(res.status).toBe(row.status);
        expect(explained.body).toMatchObject({ status: res.status, decision: row.decision, rule: row.rule });
        if (row.to) expect(String(res.headers.server ?? '').includes('Werkzeug')).toBe(row.to === 'api');
        const [logged] = (await api.call<RequestLogEntry[]>('GET', 'requests?upstream=shop&limit=1')).body;
        expect(logged.status).toBe(res.status);
        if (row.decision !== 'error') expect(logged.reason).toBe(explained.body.reason);
        expect(logged.rule ?? null).toBe(row.rule);
      } finally {
        if (row.simulate) await api.call('DELETE', 'upstreams/shop/simulation');
      }
    },
  );
});

describe('what a refused user sees', () => {
  it('an API rule refuses with JSON naming the rule', async () => {
    const res = await browsers.get('bob')!.request('POST', `${shop}/app/api/admin/x`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ error: 'forbidden', rule: 'admin', message: 'denied by rule admin (^/app/api/admin/): needs group admins; has devs' });
  });

  it('a page rule refuses with the 403 page naming the rule', async () => {
    const res = await browsers.get('alice')!.get(`${shop}/reports/q`);
    expect(res.status).toBe(403);
    expect(res.body).toContain('denied by rule reports ((?i)^/reports/): needs group analysts; has admins, devs');
  });

  it('the API gets the identity headers and nothing a client smuggles in', async () => {
    const res = await browsers.get('bob')!.get(`${shop}/app/api/userinfo`, { headers: [['X-Forwarded-Email', 'evil@evil.test']] });
    expect(res.json()).toEqual({ user: 'bob', email: 'bob@example.test', groups: 'devs' });
  });

  it('a path target that is down gets the 502 page naming it, and the state counts requests per path', async () => {
    const down = 'http://127.0.0.1:9';
    const put = await api.call('PUT', 'upstreams/shop', { id: 'shop', listen: { host: '127.0.0.1', port: pc.ports.upstreams.shop }, target: front.url, ...SHOP_SETTINGS, paths: [...SHOP_PATHS(flask.url), { path: '/media/', target: down, stripPrefix: true }], rules: SHOP_RULES });
    expect(put.status).toBe(200);
    const bob = await signedInBrowser(shop, 'bob');
    const res = await bob.get(`${shop}/media/a.png`);
    expect(res.status).toBe(502);
    expect(res.body).toContain(down);
    const state = await api.call<{ upstreams: Array<{ id: string; status: { paths?: Array<{ path: string; target: string; requestCount: number }> } }> }>('GET', 'state');
    const paths = state.body.upstreams.find((u) => u.id === 'shop')!.status.paths!;
    expect(paths.find((p) => p.path === '/media/')).toMatchObject({ target: down, requestCount: 1 });
  });

  it('explain refuses an unknown persona or session by JSON path', async () => {
    const persona = await api.call<{ error: { path: string } }>('POST', 'checks/explain', { upstream: 'shop', method: 'GET', path: '/', persona: 'mallory' });
    expect(persona.status).toBe(404);
    expect(persona.body.error.path).toBe('$.persona');
    const session = await api.call<{ error: { path: string } }>('POST', 'checks/explain', { upstream: 'shop', method: 'GET', path: '/', persona: 'session:nope' });
    expect(session.status).toBe(404);
    const bad = await api.call<{ error: { code: string } }>('POST', 'checks/explain', { upstream: 'shop', method: 'GET', path: '/', extra: 1 });
    expect(bad.body.error.code).toBe('unknown_field');
  });
});
