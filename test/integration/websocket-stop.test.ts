// An open WebSocket (a Streamlit tab, a dev server's hot reload) must not hold a listener open:
// stopping one listener through the control API, and SIGTERM on `portcullis serve`, both end the
// WebSocket and finish; SIGTERM exits 0 within the 5 s the README promises. Both scenarios run
// on the file's one `serve` (SIGTERM last), after the first has started its listener again.
import { describe, expect } from 'vitest';
import { performance } from 'node:perf_hooks';
import type { EngineState } from '../../electron/engine/api.ts';
import { openWebSocket, startWsEcho } from '../support/websocket.ts';
import { rawRequest } from '../support/browser.ts';
import { test } from '../support/fixture.ts';
import { untilSettled } from '../support/wait.ts';

// A WebSocket echo app instead of the echo target; it stops after Portcullis when the file is done.
test.override('setup', { scope: 'file' }, async ({}, { onCleanup }) => {
  const target = await startWsEcho();
  onCleanup(() => target.stop());
  return { upstreams: [{ id: 'app', target: target.url }] };
});

// Started and signed in under the hook timeout, not the first test's.
test.beforeAll(({ alice: _signedIn }) => {});

const listenerState = (state: EngineState) => state.upstreams.find((u) => u.id === 'app')?.status.state;

describe('stopping one listener through the control API with a WebSocket open', () => {
  test('answers, reports the listener stopped, ends the WebSocket and refuses new connections', async ({ app, alice, api }) => {
    const ws = await openWebSocket(`${app}/_stcore/stream`, alice.cookieHeader(app));
    expect(await untilSettled('the echo of "hello"', ws.echo('hello'))).toBe('hello');

    const stopped = await api.call<EngineState>('POST', 'upstreams/app/stop');
    expect(stopped.status).toBe(200);
    expect(listenerState(stopped.body)).toBe('stopped');
    await untilSettled('the WebSocket to close after its listener stopped', ws.closed);
    await expect(rawRequest('GET', new URL(`${app}/ping`))).rejects.toThrow(/ECONNREFUSED/);
  });

  test('starts again: /ping answers and the same session opens a working WebSocket', async ({ app, alice, api }) => {
    const started = await api.call<EngineState>('POST', 'upstreams/app/start');
    expect(started.status).toBe(200);
    expect(listenerState(started.body)).toBe('running');
    expect((await rawRequest('GET', new URL(`${app}/ping`))).status).toBe(200);
    const ws = await openWebSocket(`${app}/_stcore/stream`, alice.cookieHeader(app));
    expect(await untilSettled('the echo of "again"', ws.echo('again'))).toBe('again');
  });
});

describe('SIGTERM with a WebSocket open', () => {
  test('exits 0 within 5 s and the WebSocket is closed', async ({ app, alice, portcullis: pc }) => {
    const ws = await openWebSocket(`${app}/_stcore/stream`, alice.cookieHeader(app));
    expect(await untilSettled('the echo of "before"', ws.echo('before'))).toBe('before');

    const sentAt = performance.now();
    pc.proc.kill('SIGTERM');
    const code = await untilSettled('serve to exit after SIGTERM', pc.exited);
    const elapsed = performance.now() - sentAt;

    expect(code).toBe(0);
    // The README's bound (5 s), plus 0.5 s for process start-up noise on a busy machine.
    expect(elapsed).toBeLessThan(5_500);
    await untilSettled('the WebSocket to close after SIGTERM', ws.closed);
    expect(ws.socket.destroyed).toBe(true);
  });
});
