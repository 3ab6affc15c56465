// Headers by which a proxy tells an app who the client is or which URL it asked for reach a real
// Flask app only as Portcullis sets them: a client's own, in any case or `_`/`-` spelling, are
// removed, on signed-in pages, public routes and WebSocket handshakes alike.
import { describe, expect, it } from 'vitest';
import type { Echo } from '../support/flask.ts';
import { createBrowser, upgradeRequest, type Browser } from '../support/browser.ts';
import type { EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { signIn } from '../support/signin.ts';

const SPOOFABLE = [
  'Forwarded',
  'X-Forwarded-For',
  'X-Forwarded-Host',
  'X-Forwarded-Proto',
  'X-Forwarded-Port',
  'X-Forwarded-Prefix',
  'X-Real-IP',
  'X-Original-URL',
  'X-Original-URI',
  'X-Rewrite-URL',
];

/** Each header three ways: as written, upper case, and with underscores. */
const spoofed: [string, string][] = SPOOFABLE.flatMap((name) => [
  [name, 'for=6.6.6.6;host=evil.example;proto=https spoof'],
  [name.toUpperCase(), '/admin spoof'],
  [name.replaceAll('-', '_'), 'evil.example spoof'],
]);

// The real Flask app, up before Portcullis and down after it; WebSockets go to the echo target.
test.override('setup', { scope: 'file' }, ({ flask }) => ({
  upstreams: [
    { id: 'flask', target: flask.url, skipAuthRoutes: ['GET=^/public'] },
    { id: 'ws' },
  ],
}));

let echo: EchoTarget;
let pc: Portcullis;
let app: string;
let alice: Browser;

test.beforeAll(async ({ echo: target, portcullis, app: url }) => {
  [echo, pc, app] = [target, portcullis, url];
  alice = createBrowser();
  await signIn(alice, app, 'alice');
});

describe('spoofable forwarding headers', () => {
  it.each([
    ['a signed-in page', '/whoami', () => alice],
    ['a public route', '/public/whoami', () => createBrowser()],
  ])('on %s: none reaches Flask, and X-Forwarded-For/-Host/-Proto say what Portcullis saw', async (_label, path, who) => {
    const res = await who().get(`${app}${path}`, { headers: spoofed });
    expect(res.status).toBe(200);
    const seen = res.json<Echo>();
    expect(seen.rawHeaders.filter(([, value]) => value.includes('spoof'))).toEqual([]);
    const names = seen.rawHeaders.map(([name]) => name.toLowerCase().replaceAll('_', '-'));
    for (const name of ['forwarded', 'x-forwarded-port', 'x-forwarded-prefix', 'x-real-ip', 'x-original-url', 'x-original-uri', 'x-rewrite-url']) {
      expect(names).not.toContain(name);
    }
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-forwarded-host']).toBe(`localhost:${pc.ports.upstreams.flask}`);
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.remoteAddr).toBe('127.0.0.1');
  });

  it('on a WebSocket handshake: none reaches the target', async () => {
    const ws = pc.url('ws');
    const browser = createBrowser();
    await signIn(browser, ws, 'alice');
    const cookie = browser.cookieHeader(ws);
    const res = await upgradeRequest(`${ws}/stream`, [['Cookie', cookie], ...spoofed]);
    expect(res.status).toBe(101);
    const handshake = echo.requests.filter((r) => r.upgrade).at(-1)!;
    expect(handshake.rawHeaders.filter(([, value]) => value.includes('spoof'))).toEqual([]);
    expect(handshake.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(handshake.headers['x-forwarded-host']).toBe(`localhost:${pc.ports.upstreams.ws}`);
  });
});
