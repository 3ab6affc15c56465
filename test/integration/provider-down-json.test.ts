// With the identity provider down, an API client is told so in JSON it can parse (503), like the
// 401 it would get otherwise (docs/configuration.md), while a browser still gets the readable page.
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { createBrowser, type RequestOptions } from '../support/browser.ts';
import type { EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';

let echo: EchoTarget;
let app: string;
let closedIssuerPort: number;

// The `sso` upstream signs in at an OIDC issuer on a port nothing listens on.
test.override('setup', { scope: 'file' }, async ({}) => {
  closedIssuerPort = await freePort();
  return {
    upstreams: [{ id: 'sso', provider: 'corp', apiRoutes: ['^/api/'] }],
    providers: [
      { id: 'builtin', type: 'builtin' },
      { id: 'corp', type: 'oidc', issuer: `http://127.0.0.1:${closedIssuerPort}/`, clientId: 'portcullis', clientSecret: 'test-secret' },
    ],
  };
});

test.beforeAll(async ({ echo: target, app: url }) => {
  [echo, app] = [target, url];
});

const jsonAccept: RequestOptions = { noAccept: true, headers: [['Accept', 'application/json']] };

describe('the provider is unreachable', () => {
  it.each([
    { what: 'Accept: application/json', path: '/data', options: jsonAccept },
    { what: 'Accept: application/json on a POST', path: '/data', options: { ...jsonAccept, body: '{}' }, method: 'POST' },
    { what: 'an apiRoutes match without Accept', path: '/api/items', options: { noAccept: true } },
  ])('$what gets a 503 JSON body naming the problem', async ({ path, options, method }) => {
    const res = await createBrowser().request(method ?? 'GET', `${app}${path}`, options);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json<Record<string, unknown>>();
    expect(JSON.stringify(body)).toMatch(new RegExp(`corp|127\\.0\\.0\\.1:${closedIssuerPort}`));
    expect(res.body).not.toMatch(/<html/i);
    expect(echo.requests.some((r) => r.path === path)).toBe(false);
  });

  it('a browser still gets the HTML page', async () => {
    const res = await createBrowser().get(`${app}/data`);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
