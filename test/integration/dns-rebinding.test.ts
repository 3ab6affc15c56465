// DNS rebinding: a page on rebind.attacker.example that makes the browser reach a loopback port
// under its own name gets 421 from every route of a listener (public ones, /ping and /ready
// included) and from the built-in identity provider, and the target is never reached.
import { describe, expect, it } from 'vitest';
import { rawRequest, upgradeRequest } from '../support/browser.ts';
import type { ConsoleApi } from '../support/console-api.ts';
import type { EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';

test.override('setup', { scope: 'file' }, { upstreams: [{ id: 'app', skipAuthRoutes: ['GET=^/public'] }] });

let echo: EchoTarget;
let pc: Portcullis;
let api: ConsoleApi;
let port: number;

test.beforeAll(({ echo: target, portcullis, api: control }) => {
  [echo, pc, api] = [target, portcullis, control];
  port = pc.ports.upstreams.app;
});

const get = (url: string, host: string) => rawRequest('GET', new URL(url), [['Host', host], ['Accept', 'text/html']]);

describe('a listener reached by a foreign name', () => {
  it.each(['/public/page', '/ping', '/ready', '/oauth2/start', '/oauth2/sign_in', '/oauth2/userinfo', '/page'])('answers 421 on %s and the target sees nothing', async (path) => {
    const before = echo.requests.length;
    const res = await get(`http://127.0.0.1:${port}${path}`, `rebind.attacker.example:${port}`);
    expect(res.status).toBe(421);
    expect(res.body).toContain(`answers only to localhost:${port} and 127.0.0.1:${port}`);
    expect(res.body).not.toContain('rebind.attacker.example');
    expect(echo.requests.length).toBe(before);
  });

  it('refuses a WebSocket handshake with 421', async () => {
    const before = echo.requests.length;
    const res = await upgradeRequest(`http://127.0.0.1:${port}/public/ws`, [['Host', `rebind.attacker.example:${port}`]]);
    expect(res.status).toBe(421);
    expect(echo.requests.length).toBe(before);
  });

  it.each(['localhost', '127.0.0.1', '[::1]', 'LocalHost'])('answers on its own name %s', async (name) => {
    const res = await get(`http://127.0.0.1:${port}/public/page`, `${name}:${port}`);
    expect(res.status).toBe(200);
  });

  it('logs the refusal with the name it refused', async () => {
    await get(`http://127.0.0.1:${port}/ping`, `rebind.attacker.example:${port}`);
    const { body: entries } = await api.call<Array<{ status: number; reason: string }>>('GET', 'requests?upstream=app');
    expect(entries.some((e) => e.status === 421 && e.reason.includes('"rebind.attacker.example:'))).toBe(true);
  });
});

describe('the built-in identity provider reached by a foreign name', () => {
  it.each(['/.well-known/openid-configuration', '/jwks', '/auth?client_id=portcullis'])('answers 421 on %s', async (path) => {
    const idp = `http://127.0.0.1:${pc.ports.idp}${path}`;
    expect((await get(idp, `rebind.attacker.example:${pc.ports.idp}`)).status).toBe(421);
    expect((await get(idp, `localhost:${pc.ports.idp}`)).status).toBe(421);
  });

  it('answers on its issuer host', async () => {
    const res = await get(`http://127.0.0.1:${pc.ports.idp}/.well-known/openid-configuration`, `127.0.0.1:${pc.ports.idp}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).issuer).toBe(`http://127.0.0.1:${pc.ports.idp}`);
  });
});
