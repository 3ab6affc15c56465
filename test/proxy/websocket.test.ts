import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebSocketProxy, type UpgradeOptions, type UpgradeOutcome } from '../../electron/engine/proxy/websocket.ts';
import { closeServer, freePort, listen } from './harness.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A minimal RFC 6455 echo server: answers the handshake, echoes short text frames. */
async function startEchoTarget(): Promise<{ url: string; handshakes: IncomingMessage[]; closed: Array<Promise<void>> }> {
  const handshakes: IncomingMessage[] = [];
  const closed: Array<Promise<void>> = [];
  const server = createServer((_req, res) => res.end('plain http'));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    handshakes.push(req);
    closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    let pending = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 6) {
        const opcode = pending[0] & 0x0f;
        const length = pending[1] & 0x7f;
        if (length > 125) throw new Error('echo target only handles short frames');
        if (pending.length < 6 + length) return;
        const mask = pending.subarray(2, 6);
        const payload = Buffer.from(pending.subarray(6, 6 + length).map((b, i) => b ^ mask[i % 4]));
        pending = pending.subarray(6 + length);
        if (opcode === 0x8) {
          socket.end(Buffer.from([0x88, 0]));
          return;
        }
        socket.write(Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]));
      }
    });
    socket.on('error', () => socket.destroy());
  });
  const port = await listen(server);
  cleanups.push(() => closeServer(server));
  return { url: `http://127.0.0.1:${port}`, handshakes, closed };
}

/** What the proxy reported for each handshake, in order: what the request log records. */
const outcomes: Promise<UpgradeOutcome>[] = [];

async function startWsProxy(target: string, decide: () => Partial<UpgradeOptions> = () => ({})): Promise<number> {
  const proxy = createWebSocketProxy(target, { handshakeTimeoutMs: 300 });
  const server: Server = createServer((_req, res) => res.end());
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    outcomes.push(proxy.upgrade(req, socket, head, { path: req.url ?? '/', ...decide() }));
  });
  const port = await listen(server);
  cleanups.push(() => closeServer(server));
  cleanups.push(() => proxy.close());
  return port;
}

function echoOnce(url: string, headers: Record<string, string>, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.onopen = () => ws.send(message);
    ws.onmessage = (event) => {
      ws.close();
      resolve(String(event.data));
    };
    ws.onerror = (event) => reject(new Error(`websocket error: ${String((event as ErrorEvent).message ?? event.type)}`));
  });
}

/** The raw HTTP answer a client gets to an upgrade request. */
function rawUpgrade(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/_stcore/stream',
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('unexpected upgrade')));
    req.on('error', reject);
    req.end();
  });
}

describe('WebSocket proxy', () => {
  it('relays messages both ways and carries the identity headers on the handshake', async () => {
    const target = await startEchoTarget();
    const port = await startWsProxy(target.url, () => ({
      path: '/_stcore/stream',
      setHeaders: { 'X-Forwarded-User': 'alice', 'X-Forwarded-Groups': 'admins,devs' },
      dropHeader: (name) => name.replace(/_/g, '-').startsWith('x-forwarded-user'),
      cookie: 'streamlit=1',
    }));
    const echoed = await echoOnce(
      `ws://127.0.0.1:${port}/_stcore/stream?x=1`,
      { 'x-forwarded-user': 'mallory', cookie: 'streamlit=1; _portcullis_4180=secret', 'x-forwarded-for': '6.6.6.6' },
      'hello through the proxy',
    );
    expect(await outcomes.at(-1)).toEqual({ status: 101 });
    expect(echoed).toBe('hello through the proxy');
    // Closing the client's WebSocket tears down the target's side too.
    await target.closed[0];
    const seen = target.handshakes[0].headers;
    expect(target.handshakes[0].url).toBe('/_stcore/stream');
    expect(seen['x-forwarded-user']).toBe('alice');
    expect(seen['x-forwarded-groups']).toBe('admins,devs');
    expect(seen.cookie).toBe('streamlit=1');
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen.host).toBe(`127.0.0.1:${port}`);
    expect(seen.upgrade).toBe('websocket');
    expect(seen.connection).toMatch(/upgrade/i);
  });

  it('answers 502 on the socket when the target is down', async () => {
    const port = await startWsProxy(`http://127.0.0.1:${await freePort()}`);
    const reply = await rawUpgrade(port);
    expect(reply.status).toBe(502);
    expect(reply.body).toContain('is your app running?');
    // What the request log records is the answer the client got, not 101.
    expect(await outcomes.at(-1)).toEqual({ status: 502, error: 'target_down' });
  });

  it('answers 504 on the socket when the target never answers the handshake', async () => {
    const silent = createServer();
    silent.on('upgrade', () => undefined);
    const targetPort = await listen(silent);
    cleanups.push(() => closeServer(silent));
    const port = await startWsProxy(`http://127.0.0.1:${targetPort}`);
    const reply = await rawUpgrade(port);
    expect(reply.status).toBe(504);
    expect(await outcomes.at(-1)).toEqual({ status: 504, error: 'timeout' });
  });

  it('relays a plain HTTP refusal from the target', async () => {
    const refusing = createServer();
    refusing.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope');
    });
    const targetPort = await listen(refusing);
    cleanups.push(() => closeServer(refusing));
    const port = await startWsProxy(`http://127.0.0.1:${targetPort}`);
    const reply = await rawUpgrade(port);
    expect(reply).toEqual({ status: 403, body: 'nope' });
    expect(await outcomes.at(-1)).toEqual({ status: 403 });
  });
});
