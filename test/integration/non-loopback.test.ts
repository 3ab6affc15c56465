// A listener opened to other machines ("allowNonLoopback": true on 0.0.0.0): `serve` warns about
// it, and a sign-in started on the machine's LAN name comes back to that name (its CSRF cookie
// lives there), while a loopback-only listener never builds a callback on a name from the client.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';

test.override('setup', { scope: 'file' }, {
  upstreams: [
    { id: 'shared', listen: { host: '0.0.0.0', port: 0 }, allowNonLoopback: true },
    { id: 'local' },
  ],
});

let pc: Portcullis;

test.beforeAll(async ({ portcullis }) => {
  pc = portcullis;
});

/** GET /oauth2/start on the listener, dialled on loopback, with the Host a browser elsewhere would send. */
function startWithHost(port: number, host: string): Promise<URL> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/oauth2/start?rd=/', headers: { Host: host } }, (res) => {
      res.resume();
      if (res.statusCode !== 302 || !res.headers.location) reject(new Error(`expected a redirect, got ${res.statusCode}`));
      else resolve(new URL(res.headers.location));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a listener reachable from other machines', () => {
  it('is announced with a warning when serve starts', () => {
    expect(pc.stderr()).toContain('warning: upstream shared listens on 0.0.0.0: reachable from other machines');
  });

  it('sends the provider back to the host name the browser used', async () => {
    const port = pc.ports.upstreams.shared;
    const location = await startWithHost(port, `devbox.test:${port}`);
    expect(location.searchParams.get('redirect_uri')).toBe(`http://devbox.test:${port}/oauth2/callback`);
  });

  it('still builds the callback on localhost when the Host names another port', async () => {
    const port = pc.ports.upstreams.shared;
    const location = await startWithHost(port, 'devbox.test:1');
    expect(location.searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/oauth2/callback`);
  });
});

describe('a loopback-only listener', () => {
  it('ignores a foreign Host when building the callback', async () => {
    const port = pc.ports.upstreams.local;
    const location = await startWithHost(port, `evil.test:${port}`);
    expect(location.searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/oauth2/callback`);
  });
});
