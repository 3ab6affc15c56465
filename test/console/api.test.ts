// The HTTP form of ControlApi against a real Engine: each call does what the engine does,
// changes are written back to the --config file and pushed to every open event stream.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../electron/engine/api.ts';
import { freePort } from '../support/free-port.ts';
import { rawRequest, startTestConsole, type TestConsole } from '../support/engine.ts';

let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole();
});
afterAll(() => t?.close());

/** Opens the SSE stream and resolves with the first event that `match` accepts. */
function nextEvent(match: (e: EngineEvent) => boolean, on: TestConsole = t): { opened: Promise<void>; event: Promise<EngineEvent> } {
  let opened!: () => void;
  const openedP = new Promise<void>((r) => (opened = r));
  const event = new Promise<EngineEvent>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: on.console.port, path: '/api/v1/events', headers: { Host: `127.0.0.1:${on.console.port}`, Authorization: `Bearer ${on.console.token}` } },
      (res) => {
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          if (buffer.includes(': connected')) opened();
          for (const block of buffer.split('\n\n')) {
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (!data) continue;
            const e = JSON.parse(data.slice(6)) as EngineEvent;
            if (match(e)) {
              resolve(e);
              req.destroy();
              return;
            }
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
  return { opened: openedP, event };
}

describe('console API', () => {
  it('GET /state answers the engine state', async () => {
    const res = await t.call('GET', '/api/v1/state');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const state = res.json();
    expect(state.upstreams[0]).toMatchObject({ id: 'app', status: { state: 'running' } });
    expect(state.personas.map((p: { username: string }) => p.username)).toEqual(['alice', 'bob']);
  });

  it('adds, updates and removes an upstream, writing the config file and pushing a state event', async () => {
    const port = await freePort();
    const stream = nextEvent((e) => e.type === 'state' && e.state.upstreams.some((u) => u.id === 'web'));
    await stream.opened;
    const added = await t.call('POST', '/api/v1/upstreams', { body: { id: 'web', listen: { host: '127.0.0.1', port }, target: 'http://127.0.0.1:9', allowedGroups: ['admins'] } });
    expect(added.status).toBe(200);
    expect(added.json().upstreams.find((u: { id: string }) => u.id === 'web')).toMatchObject({ allowedGroups: ['admins'], status: { state: 'running' } });
    expect((await stream.event).type).toBe('state');
    expect((await t.savedConfig()).upstreams.map((u) => u.id)).toEqual(['app', 'web']);

    const updated = await t.call('PUT', '/api/v1/upstreams/web', { body: { id: 'web', listen: { host: '127.0.0.1', port }, target: 'http://127.0.0.1:9', name: 'Web' } });
    expect(updated.status).toBe(200);
    expect((await t.savedConfig()).upstreams[1].name).toBe('Web');

    expect((await t.call('POST', '/api/v1/upstreams/web/stop')).json().upstreams[1].status.state).toBe('stopped');
    expect((await t.call('POST', '/api/v1/upstreams/web/start')).json().upstreams[1].status.state).toBe('running');
    expect((await t.call('DELETE', '/api/v1/upstreams/web')).json().upstreams.map((u: { id: string }) => u.id)).toEqual(['app']);
  });

  it('pushes one change to every open event stream', async () => {
    const simulated = (e: EngineEvent) => e.type === 'state' && e.state.upstreams[0].status.simulation?.groups[0] === 'qa';
    const [first, second] = [nextEvent(simulated), nextEvent(simulated)];
    await Promise.all([first.opened, second.opened]);
    expect((await t.call('PUT', '/api/v1/upstreams/app/simulation', { body: { groups: ['qa'] } })).status).toBe(200);
    const events = await Promise.all([first.event, second.event]);
    expect(events.map((e) => e.type === 'state' && e.state.upstreams[0].status.simulation)).toEqual([{ groups: ['qa'] }, { groups: ['qa'] }]);
    await t.call('DELETE', '/api/v1/upstreams/app/simulation');
  });

  it('sets and ends a group simulation', async () => {
    const on = await t.call('PUT', '/api/v1/upstreams/app/simulation', { body: { groups: ['devs'] } });
    expect(on.json().upstreams[0].status.simulation).toEqual({ groups: ['devs'] });
    const off = await t.call('DELETE', '/api/v1/upstreams/app/simulation');
    expect(off.json().upstreams[0].status.simulation).toBeUndefined();
  });

  it('gives the sign-in URL with a login hint for a persona', async () => {
    const res = await t.call('GET', '/api/v1/upstreams/app/sign-in?persona=alice');
    expect(res.json().url).toMatch(new RegExp(`^http://localhost:${t.appPort}/oauth2/start\\?.*login_hint=alice`));
  });

  it('lists requests, filtered by upstream and decision', async () => {
    await fetch(`http://127.0.0.1:${t.appPort}/private`, { redirect: 'manual' });
    const all = (await t.call('GET', '/api/v1/requests?upstream=app')).json();
    expect(all.some((r: { path: string }) => r.path === '/private')).toBe(true);
    const denied = (await t.call('GET', '/api/v1/requests?upstream=app&decision=allowed')).json();
    expect(denied.every((r: { decision: string }) => r.decision === 'allowed')).toBe(true);
  });

  it.each([
    ['checks/port', { host: '127.0.0.1', port: 0 }, 'PORT_IN_USE'],
    ['checks/target', { target: 'http://127.0.0.1:9' }, false],
    ['checks/issuer', { issuer: 'http://127.0.0.1:9' }, false],
  ] as const)('POST /%s answers a CheckResult', async (path, body, ok) => {
    const b = ok === 'PORT_IN_USE' ? { ...body, port: t.appPort } : body;
    const res = await t.call('POST', `/api/v1/${path}`, { body: b });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, message: expect.any(String) });
  });

  it('tests routes and previews headers', async () => {
    const route = await t.call('POST', '/api/v1/checks/route', { body: { upstreamId: 'app', method: 'GET', path: '/ping' } });
    expect(route.status).toBe(200);
    expect(route.json()).toHaveProperty('public');
    const headers = await t.call('POST', '/api/v1/checks/headers', { body: { upstreamId: 'app' } });
    expect(headers.json()).toHaveProperty('X-Forwarded-Email');
  });

  it('saves personas and providers', async () => {
    const users = [{ username: 'carol', email: 'carol@example.test', name: 'Carol', groups: ['ops'] }];
    expect((await t.call('PUT', '/api/v1/personas', { body: { users } })).json().personas).toEqual(users);
    expect((await t.savedConfig()).builtinIdp.users).toEqual(users);
    const saved = await t.call('PUT', '/api/v1/providers/gh', { body: { id: 'gh', type: 'github', clientId: 'abc', clientSecretValue: 's3cret-value' } });
    expect(saved.status).toBe(200);
    const file = JSON.stringify(await t.savedConfig());
    expect(file).toContain('"gh"');
    expect(file).not.toContain('s3cret-value');
    expect(await t.storedSecret('provider:gh:clientSecret')).toBe('s3cret-value');
    expect((await t.call('DELETE', '/api/v1/providers/gh')).status).toBe(200);
    expect(await t.storedSecret('provider:gh:clientSecret')).toBeUndefined();
  });

  it('lists sessions and answers 404 for signing out an unknown one', async () => {
    expect((await t.call('GET', '/api/v1/sessions')).json()).toEqual([]);
    const res = await t.call('DELETE', '/api/v1/sessions/nope');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.json().error.message).toBeTruthy();
  });
});

describe('the console token', () => {
  it('never appears in anything the console or the engine logs', async () => {
    const written: string[] = [];
    const keep = (...parts: unknown[]) => void written.push(parts.map(String).join(' '));
    const spies = [
      ...(['log', 'error', 'warn', 'info', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(keep)),
      ...[process.stdout, process.stderr].map((s) => vi.spyOn(s, 'write').mockImplementation((chunk) => (keep(chunk), true))),
    ];
    const c = await startTestConsole({ log: keep });
    try {
      const { port, token } = c.console;
      const squatter = createServer();
      await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
      const taken = (squatter.address() as AddressInfo).port;
      expect((await rawRequest(port, 'GET', `/?token=${token}`)).status).toBe(200);
      expect((await rawRequest(port, 'GET', `/?token=${token}x`)).status).toBe(401);
      expect((await c.call('GET', '/api/v1/state', { token: `${token}x` })).status).toBe(401);
      expect((await c.call('GET', `/api/v1/upstreams/${token}/sign-in`)).status).toBe(404);
      expect((await c.call('GET', '/api/v1/state', { host: `evil.test:${port}` })).status).toBe(421);
      // An engine notice too: an upstream whose port another program holds logs an error line.
      await c.call('POST', '/api/v1/upstreams', { body: { id: 'web', listen: { host: '127.0.0.1', port: taken }, target: 'http://127.0.0.1:9' } });
      squatter.close();
      expect(written.some((line) => line.includes(`port ${taken} on 127.0.0.1 is in use`))).toBe(true);
      expect(written.join('\n')).not.toContain(token);
    } finally {
      for (const spy of spies) spy.mockRestore();
      await c.close();
    }
  });
});
