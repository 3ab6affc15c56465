// An open WebSocket (a Streamlit tab, a dev server's hot reload) must not hold a listener open:
// stopping one listener through the control API, and SIGTERM on `portcullis serve`, both end the
// WebSocket and finish; SIGTERM exits 0 within the 5 s the README promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { EngineState } from '../../electron/engine/api.ts';
import { createBrowser, rawRequest } from './helpers/browser.ts';
import { consoleApi, type ConsoleApi } from './helpers/console-api.ts';
import { startPortcullis, type Portcullis } from './helpers/portcullis.ts';
import { sessionCookieName, signInWithHint } from './helpers/signin.ts';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** A target that keeps WebSockets open and echoes short text frames, as a real app's socket would. */
interface WsEchoTarget {
  url: string;
  /** Sockets the target still holds open. */
  open: Set<Socket>;
  stop(): Promise<void>;
}

async function startWsEcho(): Promise<WsEchoTarget> {
  const open = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.end('ws echo'));
  server.on('upgrade', (req, socket: Socket) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${WS_GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (data: Buffer) => {
      // Short masked client frames only (payload < 126 bytes): enough for this test's messages.
      const length = data[1] & 0x7f;
      const mask = data.subarray(2, 6);
      const payload = Buffer.from(data.subarray(6, 6 + length).map((byte, i) => byte ^ mask[i % 4]));
      socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    open,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

interface ClientWebSocket {
  socket: Socket;
  /** Sends a text frame and resolves with the text of the next frame back. */
  echo(text: string): Promise<string>;
  closed: Promise<unknown>;
}

/** Opens a WebSocket through the listener as a signed-in browser tab would. */
function openWebSocket(url: string, cookie: string): Promise<ClientWebSocket> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: target.port,
      path: target.pathname,
      agent: false,
      headers: {
        Host: target.host,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        Origin: target.origin,
        Cookie: cookie,
      },
    });
    req.on('upgrade', (_res, socket: Socket) => {
      socket.on('error', () => socket.destroy());
      const closed = once(socket, 'close');
      const echo = (text: string) =>
        new Promise<string>((done) => {
          socket.once('data', (data: Buffer) => done(data.subarray(2, 2 + (data[1] & 0x7f)).toString('utf8')));
          const payload = Buffer.from(text, 'utf8');
          const mask = randomBytes(4);
          socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((byte, i) => byte ^ mask[i % 4])]));
        });
      resolve({ socket, echo, closed });
    });
    req.on('response', (res) => reject(new Error(`the WebSocket handshake was answered ${res.statusCode}, not 101`)));
    req.on('error', reject);
    req.end();
  });
}

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
