// A real Flask app behind Portcullis gets the identity headers oauth2-proxy would send it, and
// nothing a client tried to smuggle in.
import { describe, expect, it } from 'vitest';
import { startFlask, type Echo } from '../support/flask.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { createBrowser, type Browser } from '../support/browser.ts';
import { signIn } from '../support/signin.ts';

// The real Flask app instead of the echo target; it stops after Portcullis when the file is done.
test.override('setup', { scope: 'file' }, async ({}, { onCleanup }) => {
  const flask = await startFlask();
  onCleanup(() => flask.stop());
  return { upstreams: [{ id: 'flask', target: flask.url }] };
});

let pc: Portcullis;
let app: string;
let alice: Browser;

test.beforeAll(async ({ portcullis, app: url }) => {
  [pc, app] = [portcullis, url];
  alice = createBrowser();
  await signIn(alice, app, 'alice');
});

describe('Flask behind Portcullis', () => {
  it('receives X-Forwarded-User/Email/Groups/Preferred-Username and the browser Host', async () => {
    alice.setCookie(app, 'flask_session', 'keep-me');
    const res = await alice.get(`${app}/whoami?x=1`, {
      headers: [['X-Forwarded-Email', 'evil@evil.test'], ['x_forwarded_groups', 'evil-admins'], ['X-Auth-Request-User', 'evil']],
    });
    expect(res.status).toBe(200);
    const seen = res.json<Echo>();
    expect(seen.path).toBe('/whoami');
    expect(seen.headers['x-forwarded-email']).toBe('alice@example.test');
    expect(seen.headers['x-forwarded-groups']).toBe('admins,devs');
    expect(seen.headers['x-forwarded-preferred-username']).toBe('alice');
    expect(seen.headers['x-forwarded-user']).toBeTruthy();
    expect(seen.headers.host).toBe(`localhost:${pc.ports.upstreams.flask}`);
    expect(seen.rawHeaders.filter(([, value]) => value.includes('evil'))).toEqual([]);
    expect(seen.cookies.flask_session).toBe('keep-me');
    expect(Object.keys(seen.cookies).filter((name) => name.startsWith('_portcullis'))).toEqual([]);
  });

  it('is not reached without a session', async () => {
    const res = await createBrowser().get(`${app}/whoami`);
    expect(res.status).toBe(302);
  });
});
