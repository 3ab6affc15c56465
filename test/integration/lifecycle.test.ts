// Stopping and starting: SIGTERM under load drains in-flight requests and exits 0 within the
// 5 s the README promises, and the signed-in session still works after the restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcho, type EchoTarget } from './helpers/echo.ts';
import { startPortcullis, type Portcullis } from './helpers/portcullis.ts';
import { createBrowser, type Browser } from './helpers/browser.ts';
import { signInWithHint } from './helpers/signin.ts';

let echo: EchoTarget;
let pc: Portcullis;
let app: string;
let alice: Browser;

beforeAll(async () => {
  echo = await startEcho();
  pc = await startPortcullis({ upstreams: [{ id: 'app', target: echo.url }] });
  app = pc.url('app');
  alice = createBrowser();
  await signInWithHint(alice, app, 'alice');
});
afterAll(async () => {
  await pc?.dispose();
  await echo?.stop();
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('SIGTERM during load', () => {
  it('finishes in-flight requests, answers no 5xx, and exits 0 within 5 s', async () => {
    const statuses: number[] = [];
    let stopping = false;
    const worker = async () => {
      while (!stopping) {
        try {
          statuses.push((await alice.get(`${app}/load`)).status);
        } catch {
          // Refused connections after the listener closed are expected.
          return;
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    const inFlight = alice.get(`${app}/slow?ms=1000`);
    await until(() => echo.requests.some((r) => r.path === '/slow') && statuses.length > 20);

    pc.proc.kill('SIGTERM');
    // The README's deadline is 5 s; one more second covers process teardown on a busy machine.
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 6_000).unref());
    const code = await Promise.race([pc.exited, deadline]);
    stopping = true;
    await Promise.all(workers);

    expect(code).toBe(0);
    expect((await inFlight).status).toBe(200);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });

  it('keeps the session: after a restart on the same data dir the same cookie still works', async () => {
    pc = await pc.restart();
    const info = await alice.get(`${app}/oauth2/userinfo`);
    expect(info.status).toBe(200);
    expect(info.json<{ email: string }>().email).toBe('alice@example.test');
    const page = await alice.get(`${app}/after-restart`);
    expect(page.status).toBe(200);
  });

  it('cuts an answer that never ends (a stream, a hung app) and still exits 0 within 5 s', async () => {
    const endless = alice.get(`${app}/slow?ms=60000`).then(
      (res) => res.status,
      () => 'cut' as const,
    );
    await until(() => echo.requests.some((r) => r.url === '/slow?ms=60000'));

    pc.proc.kill('SIGTERM');
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 6_000).unref());
    expect(await Promise.race([pc.exited, deadline])).toBe(0);
    expect(await endless).toBe('cut');
  });
});
