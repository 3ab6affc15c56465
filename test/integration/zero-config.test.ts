// The zero-configuration flow on the default ports, as a new user meets it: `npm start`
// (the bare `portcullis` command) with no config, no Electron runtime and no display falls back
// to headless with a one-line reason, the built-in provider listens on 4190, and picking a persona
// lands on the app on 8501 with the identity headers. These fixed ports must be free for this file.
// It runs its own process: the fixture's `serve` has a config and free ports, which is what this file must not have.
import { describe, expect } from 'vitest';
import { createBrowser } from '../support/browser.ts';
import { test as base } from '../support/fixture.ts';
import { spawnPortcullis, type ReadyProcess } from '../support/serve.ts';
import { signIn, signInWithHint } from '../support/signin.ts';

const APP = 'http://localhost:4180';

/** The bare `portcullis` command in a fresh home, with the echo target up on 8501 first. */
const test = base.extend('bare', { scope: 'file' }, async ({ home, echo: _upFirst }, { onCleanup }): Promise<ReadyProcess> => {
  const bare = await spawnPortcullis([], home);
  onCleanup(async () => {
    await bare.stop('SIGTERM');
  });
  return bare;
});
test.override('echoPort', { scope: 'file' }, 8501);
// Started under the hook timeout, not the first test's.
test.beforeAll(({ bare: _started }) => {});

describe('zero configuration on the default ports', () => {
  test('says in one line why it runs headless, then prints the default listener and console', ({ bare }) => {
    const lines = bare.stdout().trim().split('\n');
    expect(lines[0]).toMatch(/^portcullis: running headless: .+/);
    expect(lines).toContain('upstream app  http://localhost:4180 -> http://127.0.0.1:8501  (provider builtin)');
    expect(lines.some((l) => /^console http:\/\/127\.0\.0\.1:4100\/\?token=\S+$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('portcullis ready');
  });

  test('sends the sign-in to the built-in provider on 127.0.0.1:4190', async () => {
    const res = await createBrowser().get(`${APP}/oauth2/start?rd=/`);
    expect(res.status).toBe(302);
    expect(new URL(res.location!).origin).toBe('http://127.0.0.1:4190');
  });

  test('signs alice in through the persona page and the app sees her', async ({ echo }) => {
    const browser = createBrowser();
    await signIn(browser, APP, 'alice', { rd: '/dashboard' });
    const res = await browser.get(`${APP}/dashboard`);
    expect(res.status).toBe(200);
    const seen = echo.requests.at(-1)!;
    expect(seen.headers['x-forwarded-email']).toBe('alice@example.test');
    expect(seen.headers['x-forwarded-groups']).toBe('admins,devs');
  });

  test('signs bob in with login_hint, without the page', async ({ echo }) => {
    const browser = createBrowser();
    await signInWithHint(browser, APP, 'bob');
    expect((await browser.get(`${APP}/`)).status).toBe(200);
    expect(echo.requests.at(-1)!.headers['x-forwarded-email']).toBe('bob@example.test');
    expect(echo.requests.at(-1)!.headers['x-forwarded-groups']).toBe('devs');
  });
});
