// Faults around the proxy: a listener whose port is taken, a provider that cannot be reached at
// start, and a target that goes down and comes back. Each is reported clearly; the rest serves.
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { freePort } from '../support/free-port.ts';
import { startEcho, type EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { createBrowser } from '../support/browser.ts';

let echo: EchoTarget;
let pc: Portcullis;
let busyPort: number;
let closedIssuerPort: number;
let downTarget: { port: number; url: string };

// A port another program holds, an issuer nothing listens on, a target that has gone away.
test.override('setup', { scope: 'file' }, async ({}, { onCleanup }) => {
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
  busyPort = (squatter.address() as { port: number }).port;
  closedIssuerPort = await freePort();
  const gone = await startEcho();
  downTarget = { port: gone.port, url: gone.url };
  await gone.stop();
  return {
    upstreams: [
      { id: 'app' },
      { id: 'busy', listen: { host: '127.0.0.1', port: busyPort } },
      { id: 'sso', provider: 'corp' },
      { id: 'flaky', target: downTarget.url, skipAuthRoutes: ['^/'] },
    ],
    providers: [
      { id: 'builtin', type: 'builtin' },
      { id: 'corp', type: 'oidc', issuer: `http://127.0.0.1:${closedIssuerPort}/`, clientId: 'portcullis', clientSecret: 'test-secret' },
    ],
  };
});

test.beforeAll(async ({ portcullis, echo: target }) => {
  [pc, echo] = [portcullis, target];
});

describe('a listener whose port is in use', () => {
  it('is reported by id and port', () => {
    const output = pc.stdout() + pc.stderr();
    const report = output.split('\n').find((line) => line.includes(String(busyPort)) && line.includes('busy') && !line.startsWith('upstream busy '));
    expect(report, output).toBeDefined();
  });

  it('does not stop the other listeners', async () => {
    const res = await createBrowser().get(`${pc.url('app')}/ping`);
    expect(res.status).toBe(200);
  });
});

describe('a provider unreachable at start', () => {
  it('the listener answers a clear 503 page', async () => {
    const res = await createBrowser().get(`${pc.url('sso')}/page`);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(new RegExp(`corp|127\\.0\\.0\\.1:${closedIssuerPort}`));
    expect(echo.requests.some((r) => r.path === '/page')).toBe(false);
  });

  it('/ready answers 503 with the reason, /ping still 200', async () => {
    const ready = await createBrowser().get(`${pc.url('sso')}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatch(new RegExp(`corp|127\\.0\\.0\\.1:${closedIssuerPort}|unreachable|ECONNREFUSED`, 'i'));
    expect((await createBrowser().get(`${pc.url('sso')}/ping`)).status).toBe(200);
  });

  it('the listeners on the built-in provider stay ready', async () => {
    expect((await createBrowser().get(`${pc.url('app')}/ready`)).status).toBe(200);
  });
});

describe('a target that is down, then back up', () => {
  it('answers a 502 page naming the target, then 200 once it is back', async () => {
    const down = await createBrowser().get(`${pc.url('flaky')}/hello`);
    expect(down.status).toBe(502);
    expect(down.headers['content-type']).toMatch(/text\/html/);
    expect(down.body).toContain(`127.0.0.1:${downTarget.port}`);

    const back = await startEcho(downTarget.port);
    try {
      const up = await createBrowser().get(`${pc.url('flaky')}/hello`);
      expect(up.status).toBe(200);
      expect(up.json<{ path: string }>().path).toBe('/hello');
    } finally {
      await back.stop();
    }
  });
});
