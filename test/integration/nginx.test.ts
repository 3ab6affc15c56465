// nginx's auth_request in front of Portcullis's /oauth2/auth, the way a production oauth2-proxy
// setup runs: X-Auth-Request-Allowed-Groups carries the group rule (auth_request has no query).
import { afterAll, describe, expect, it } from 'vitest';
import type { EchoRequest, EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { startNginx, type RunningNginx } from '../support/nginx.ts';
import { createBrowser, type Browser } from '../support/browser.ts';
import { signInWithHint } from '../support/signin.ts';

test.override('setup', { scope: 'file' }, { upstreams: [{ id: 'auth' }] });

let echo: EchoTarget;
let pc: Portcullis;
let nginx: RunningNginx;
let front: string;
const browsers: Record<string, Browser> = {};

function authLocation(name: string, portcullisPort: number, groups?: string): string {
  return `
    location = ${name} {
      internal;
      proxy_pass http://127.0.0.1:${portcullisPort}/oauth2/auth;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      ${groups ? `proxy_set_header X-Auth-Request-Allowed-Groups "${groups}";` : ''}
    }`;
}

function protectedLocation(prefix: string, auth: string): string {
  return `
    location ${prefix} {
      auth_request ${auth};
      auth_request_set $email $upstream_http_x_auth_request_email;
      auth_request_set $groups $upstream_http_x_auth_request_groups;
      proxy_set_header X-Forwarded-Email $email;
      proxy_set_header X-Forwarded-Groups $groups;
      proxy_pass ${echo.url};
    }`;
}

test.beforeAll(async ({ echo: target, portcullis }) => {
  [echo, pc] = [target, portcullis];
  const port = pc.ports.upstreams.auth;
  nginx = await startNginx((_dirs, ports) => `
  server {
    listen 127.0.0.1:${ports.port};
    ${authLocation('/_auth_any', port)}
    ${authLocation('/_auth_admins', port, 'admins')}
    ${protectedLocation('/app/', '/_auth_any')}
    ${protectedLocation('/admin/', '/_auth_admins')}
  }`);
  // The browser reaches nginx as `localhost`, so the listener's cookie (same host, any port) goes along.
  front = `http://localhost:${nginx.port}`;
  for (const persona of ['alice', 'bob']) {
    browsers[persona] = createBrowser();
    await signInWithHint(browsers[persona], pc.url('auth'), persona);
  }
});
afterAll(async () => {
  await nginx?.stop();
  await pc?.dispose();
  await echo?.stop();
});

describe('nginx auth_request -> /oauth2/auth', () => {
  it.each([
    ['alice', '/app/page', 200],
    ['bob', '/app/page', 200],
    ['alice', '/admin/page', 200],
    ['bob', '/admin/page', 403],
    [null, '/app/page', 401],
    [null, '/admin/page', 401],
  ])('%s GET %s -> %i', async (persona, path, status) => {
    const res = await (persona ? browsers[persona] : createBrowser()).get(`${front}${path}`);
    expect(res.status).toBe(status);
  });

  it('hands the X-Auth-Request-* identity to nginx, which passes it to the app', async () => {
    const res = await browsers.alice.get(`${front}/admin/who`);
    const seen = res.json<EchoRequest>();
    expect(seen.headers['x-forwarded-email']).toBe('alice@example.test');
    expect(seen.headers['x-forwarded-groups']).toBe('admins,devs');
  });
});
