// A listener opened to other machines ("allowNonLoopback": true on 0.0.0.0): `serve` warns about
// it, and a sign-in started on the machine's LAN name comes back to that name (its CSRF cookie
// lives there), while a name the listener is not reached by is refused before any callback is built.
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
function startWithHost(port: number, host: string): Promise<{ status: number; location?: URL }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/oauth2/start?rd=/', headers: { Host: host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location ? new URL(res.headers.location) : undefined });
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
    const { location } = await startWithHost(port, `devbox.test:${port}`);
    expect(location!.searchParams.get('redirect_uri')).toBe(`http://devbox.test:${port}/oauth2/callback`);
  });

  it('refuses a Host that names another port (421), so no callback is built on it', async () => {
    const port = pc.ports.upstreams.shared;
    expect((await startWithHost(port, 'devbox.test:1')).status).toBe(421);
  });
});

describe('a loopback-only listener', () => {
  it('refuses a foreign Host (421), so no callback is built on it', async () => {
    const port = pc.ports.upstreams.local;
    expect((await startWithHost(port, `evil.test:${port}`)).status).toBe(421);
  });
});
