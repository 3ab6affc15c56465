// Skip-auth routes (`GET=^/public`) matched against the path alone: the query, an encoded `#`,
// dot segments and other methods must not turn a private URL into a public one.
import { describe, expect, it } from 'vitest';
import type { EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { rawRequest } from '../support/browser.ts';

test.override('setup', { scope: 'file' }, { upstreams: [{ id: 'app', skipAuthRoutes: ['GET=^/public'] }] });

let echo: EchoTarget;
let pc: Portcullis;
let app: string;

test.beforeAll(async ({ echo: target, portcullis }) => {
  [echo, pc] = [target, portcullis];
  app = pc.url('app');
});

/** Sends the request target byte for byte, as an API client without a session would. */
const send = (method: string, target: string) => rawRequest(method, new URL(app), [['Accept', 'application/json']], undefined, target);

describe('public without a session', () => {
  it.each(['/public', '/public?x=1', '/public/page', '/public/a/b?next=/admin', '/public?file=C:\\data\\x.csv'])('GET %s reaches the target', async (target) => {
    const res = await send('GET', target);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).url).toBe(target);
  });
});

describe('not public: authentication required', () => {
  it.each([
    ['GET', '/admin'],
    ['GET', '/admin?x=/public'],
    ['GET', '/admin?/public'],
    ['GET', '/public/../admin'],
    ['GET', '/public/%2e%2e/admin'],
    ['GET', '/public/%2E%2E/admin'],
    ['GET', '/public/..%2fadmin'],
    ['GET', '/public/%2e%2e%2fadmin'],
    ['GET', '/admin%23/public'],
    ['GET', '/admin#/public'],
    ['GET', '/x/../public/../admin'],
    ['GET', '/PUBLIC'],
    ['POST', '/public'],
    ['PUT', '/public'],
    ['DELETE', '/public/item'],
  ])('%s %s', async (method, target) => {
    const before = echo.requests.length;
    const res = await send(method, target);
    // 401 for an API client; a 400 for a malformed path is also a refusal. Never the target.
    expect([400, 401]).toContain(res.status);
    const reached = echo.requests.slice(before).filter((r) => r.method === method);
    expect(reached).toEqual([]);
  });
});
