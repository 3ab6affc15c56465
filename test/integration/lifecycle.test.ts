// Stopping and starting: SIGTERM under load drains in-flight requests and exits 0 within the
// 5 s the README promises, and the signed-in session still works after the restart.
import { describe, expect, it } from 'vitest';
import type { EchoTarget } from '../support/echo.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import type { Browser } from '../support/browser.ts';
import { until } from '../support/wait.ts';

let echo: EchoTarget;
let pc: Portcullis;
let app: string;
let alice: Browser;

test.beforeAll(async ({ echo: target, portcullis, app: url, alice: signedIn }) => {
  // `pc` becomes the restarted run below; the fixture's cleanup ends every run.
  [echo, pc, app, alice] = [target, portcullis, url, signedIn];
});

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
    await until('the slow request to reach the app under load', () => echo.requests.some((r) => r.path === '/slow') && statuses.length > 20);

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
    await until('the endless request to reach the app', () => echo.requests.some((r) => r.url === '/slow?ms=60000'));

    pc.proc.kill('SIGTERM');
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 6_000).unref());
    expect(await Promise.race([pc.exited, deadline])).toBe(0);
    expect(await endless).toBe('cut');
  });
});
