// An open WebSocket (a Streamlit tab, a dev server's hot reload) must not hold a listener open:
// stopping one listener through the control API, and SIGTERM on `portcullis serve`, both end the
// WebSocket and finish; SIGTERM exits 0 within the 5 s the README promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import type { EngineState } from '../../electron/engine/api.ts';
import { openWebSocket, startWsEcho, type WsEchoTarget } from '../support/websocket.ts';
import { createBrowser, rawRequest } from '../support/browser.ts';
import { consoleApi, type ConsoleApi } from '../support/console-api.ts';
import { startPortcullis, type Portcullis } from '../support/serve.ts';
import { sessionCookieName, signInWithHint } from '../support/signin.ts';

let target: WsEchoTarget;

beforeAll(async () => {
  target = await startWsEcho();
});
afterAll(async () => {
  await target?.stop();
});

/** A fresh `serve` with alice signed in, so each scenario stands on its own. */
async function signedInServe(): Promise<{ pc: Portcullis; app: string; cookie: string }> {
  const pc = await startPortcullis({ upstreams: [{ id: 'app', target: target.url }] });
  const app = pc.url('app');
  const alice = createBrowser();
  await signInWithHint(alice, app, 'alice');
  return { pc, app, cookie: `${sessionCookieName(app)}=${alice.cookie(app, sessionCookieName(app))!.value}` };
}

const listenerState = (state: EngineState) => state.upstreams.find((u) => u.id === 'app')?.status.state;

describe('stopping one listener through the control API with a WebSocket open', () => {
  let pc: Portcullis;
  let api: ConsoleApi;
  let app: string;
  let cookie: string;

  beforeAll(async () => {
    ({ pc, app, cookie } = await signedInServe());
    api = consoleApi(pc);
  });
  afterAll(async () => {
    await pc?.dispose();
  });

  it('answers, reports the listener stopped, ends the WebSocket and refuses new connections', async () => {
    const ws = await openWebSocket(`${app}/_stcore/stream`, cookie);
    expect(await ws.echo('hello')).toBe('hello');

    const stopped = await api.call<EngineState>('POST', 'upstreams/app/stop');
    expect(stopped.status).toBe(200);
    expect(listenerState(stopped.body)).toBe('stopped');
    await ws.closed;
    await expect(rawRequest('GET', new URL(`${app}/ping`))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('starts again: /ping answers and the same session opens a working WebSocket', async () => {
    const started = await api.call<EngineState>('POST', 'upstreams/app/start');
    expect(started.status).toBe(200);
    expect(listenerState(started.body)).toBe('running');
    expect((await rawRequest('GET', new URL(`${app}/ping`))).status).toBe(200);
    const ws = await openWebSocket(`${app}/_stcore/stream`, cookie);
    expect(await ws.echo('again')).toBe('again');
  });
});

describe('SIGTERM with a WebSocket open', () => {
  let pc: Portcullis;
  let app: string;
  let cookie: string;

  beforeAll(async () => {
    ({ pc, app, cookie } = await signedInServe());
  });
  afterAll(async () => {
    await pc?.dispose();
  });

  it('exits 0 within 5 s and the WebSocket is closed', async () => {
    const ws = await openWebSocket(`${app}/_stcore/stream`, cookie);
    expect(await ws.echo('before')).toBe('before');

    const sentAt = performance.now();
    pc.proc.kill('SIGTERM');
    // Only so a hang reports itself here instead of as a test timeout.
    const code = await Promise.race([pc.exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 10 s'), 10_000).unref())]);
    const elapsed = performance.now() - sentAt;

    expect(code).toBe(0);
    // The README's bound (5 s), plus 0.5 s for process start-up noise on a busy machine.
    expect(elapsed).toBeLessThan(5_500);
    await ws.closed;
    expect(ws.socket.destroyed).toBe(true);
  });
});
