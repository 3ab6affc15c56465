// The zero-configuration flow on the default ports, as a new user meets it: `npm start`
// (the bare `portcullis` command) with no config, no Electron runtime and no display falls back
// to headless with a one-line reason, the built-in provider listens on 4190, and picking a persona
// lands on the app on 8501 with the identity headers. These fixed ports must be free for this file.
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowser } from '../support/browser.ts';
import { startEcho, type EchoTarget } from '../support/echo.ts';
import { childEnv, makeTempHome, REPO_ROOT } from '../support/serve.ts';
import { signIn, signInWithHint } from '../support/signin.ts';

const APP = 'http://localhost:4180';

describe('zero configuration on the default ports', () => {
  let home: string;
  let echo: EchoTarget;
  let proc: ChildProcess;
  let stdout = '';

  beforeAll(async () => {
    home = await makeTempHome();
    echo = await startEcho(8501);
    proc = spawn(process.execPath, [join(REPO_ROOT, 'bin/portcullis.js')], { cwd: REPO_ROOT, env: childEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('portcullis ready\n')) resolve();
      });
      proc.once('exit', (code) => reject(new Error(`portcullis exited (${code}) before it was ready:\n${stdout}\n${stderr}`)));
    });
  });

  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
    }
    await echo?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('says in one line why it runs headless, then prints the default listener and console', () => {
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^portcullis: running headless: .+/);
    expect(lines).toContain('upstream app  http://localhost:4180 -> http://127.0.0.1:8501  (provider builtin)');
    expect(lines.some((l) => /^console http:\/\/127\.0\.0\.1:4100\/\?token=\S+$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('portcullis ready');
  });

  it('sends the sign-in to the built-in provider on 127.0.0.1:4190', async () => {
    const res = await createBrowser().get(`${APP}/oauth2/start?rd=/`);
    expect(res.status).toBe(302);
    expect(new URL(res.location!).origin).toBe('http://127.0.0.1:4190');
  });

  it('signs alice in through the persona page and the app sees her', async () => {
    const browser = createBrowser();
    await signIn(browser, APP, 'alice', { rd: '/dashboard' });
    const res = await browser.get(`${APP}/dashboard`);
    expect(res.status).toBe(200);
    const seen = echo.requests.at(-1)!;
    expect(seen.headers['x-forwarded-email']).toBe('alice@example.test');
    expect(seen.headers['x-forwarded-groups']).toBe('admins,devs');
  });

  it('signs bob in with login_hint, without the page', async () => {
    const browser = createBrowser();
    await signInWithHint(browser, APP, 'bob');
    expect((await browser.get(`${APP}/`)).status).toBe(200);
    expect(echo.requests.at(-1)!.headers['x-forwarded-email']).toBe('bob@example.test');
    expect(echo.requests.at(-1)!.headers['x-forwarded-groups']).toBe('devs');
  });
});
