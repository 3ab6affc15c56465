// WebSockets relayed through a listener leave nothing behind once the browser closes them: every
// socket Portcullis opened for them (the browser's side and the app's side) is gone again,
// counted from /proc/<pid>/fd — also when the app ignores the end of the connection and keeps
// its own side open. The benchmark does the same with a thousand sockets held for 30 s.
import { describe, expect, it } from 'vitest';
import { openFds, openWebSocket, startWsEcho, type ClientWebSocket } from '../support/websocket.ts';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';
import { signedInBrowser } from '../support/signin.ts';

const SOCKETS = 50;

/** Waits for `done` (polling), or rejects with what `problem` says is still wrong. */
async function until(done: () => boolean, problem: () => string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(problem());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Close = (socket: ClientWebSocket['socket'], index: number) => void;
// A tab that closes sends a FIN; one that crashes or loses the network vanishes (a reset).
const halfEndHalfVanish: Close = (socket, i) => (i % 2 ? socket.end() : socket.destroy());
// A FIN is relayed as a FIN (TCP half-close), so against an app that ignores it the connection
// rightly stays half-open; the browser vanishing is what must not leave anything behind.
const vanish: Close = (socket) => socket.destroy();

// One `serve` with a listener for each kind of app; the scenarios run one after the other, each
// counting from a baseline taken after the one before it has settled.
test.override('setup', { scope: 'file' }, async ({}, { onCleanup }) => {
  const [closes, ignores] = await Promise.all([startWsEcho({ onEnd: 'close' }), startWsEcho({ onEnd: 'ignore' })]);
  onCleanup(async () => {
    await Promise.all([closes.stop(), ignores.stop()]);
  });
  return { upstreams: [{ id: 'closes', target: closes.url }, { id: 'ignores', target: ignores.url }] };
});

describe.each<{ app: string; id: string; close: Close }>([
  { app: 'an app that closes its side when the browser leaves', id: 'closes', close: halfEndHalfVanish },
  { app: 'an app that ignores the end and keeps its side open', id: 'ignores', close: vanish },
])(`${SOCKETS} WebSockets to $app`, ({ id, close }) => {
  let pc: Portcullis;
  let app: string;
  let cookie: string;

  test.beforeAll(async ({ portcullis }) => {
    pc = portcullis;
    app = pc.url(id);
    cookie = (await signedInBrowser(app, 'alice')).cookieHeader(app);
    // One WebSocket first, so what the first upgrade loads once (the relay's code) is in the baseline.
    const first = await openWebSocket(`${app}/_stcore/stream`, cookie);
    await first.echo('warm');
    first.socket.destroy();
    await first.closed;
  });

  it('are relayed, and once the browser closes them no socket or file descriptor is left open in Portcullis', async () => {
    const pid = pc.proc.pid!;
    const leftOver = (baseline: Set<string>) => [...openFds(pid)].filter((fd) => !baseline.has(fd));
    // The warm-up socket's descriptors may still be closing: the baseline is taken once they are gone.
    let baseline = openFds(pid);
    await until(() => {
      const before = baseline;
      baseline = openFds(pid);
      return [...baseline].every((fd) => before.has(fd)) && baseline.size === before.size;
    }, () => 'the descriptor count did not settle before the test');

    const sockets = await Promise.all(Array.from({ length: SOCKETS }, () => openWebSocket(`${app}/_stcore/stream`, cookie)));
    const answers = await Promise.all(sockets.map((ws, i) => ws.echo(`message ${i}`)));
    expect(answers).toEqual(sockets.map((_, i) => `message ${i}`));
    // Each relayed WebSocket holds two sockets in Portcullis: the browser's and the app's.
    expect(leftOver(baseline).length).toBeGreaterThanOrEqual(2 * SOCKETS);

    sockets.forEach((ws, i) => close(ws.socket, i));
    await Promise.all(sockets.map((ws) => ws.closed));

    await until(() => leftOver(baseline).length === 0, () => `file descriptors left open in Portcullis: ${leftOver(baseline).join(', ')}`);
    expect(leftOver(baseline)).toEqual([]);
  }, 60_000);
});
