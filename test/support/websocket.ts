// A WebSocket target and client small enough to hold a thousand sockets: the target completes
// the handshake and echoes short text frames, as a real app's socket (Streamlit's stream, a dev
// server's hot reload) would; the client opens a socket through a listener as a signed-in tab.
// Used by the integration tests and the benchmark (test/bench/bench.ts).
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { readdirSync, readlinkSync } from 'node:fs';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface WsEchoTarget {
  url: string;
  /** Sockets the target still holds open. */
  open: Set<Socket>;
  stop(): Promise<void>;
}

export interface WsEchoOptions {
  /**
   * What the app does when the other side ends its socket: close its own, as WebSocket servers
   * do (default), or ignore it and keep its side open, as a careless one might.
   */
  onEnd?: 'close' | 'ignore';
}

/** Makes `server` complete WebSocket handshakes and echo short text frames; returns the sockets it holds open. */
export function acceptWebSockets(server: Server, options: WsEchoOptions = {}): Set<Socket> {
  const open = new Set<Socket>();
  server.on('upgrade', (req, socket: Socket) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${WS_GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    if (options.onEnd !== 'ignore') socket.on('end', () => socket.end());
    socket.on('data', (data: Buffer) => {
      // Short masked client frames only (payload < 126 bytes): enough for these messages.
      const length = data[1] & 0x7f;
      const mask = data.subarray(2, 6);
      const payload = Buffer.from(data.subarray(6, 6 + length).map((byte, i) => byte ^ mask[i % 4]));
      socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
    });
  });
  return open;
}

export async function startWsEcho(options: WsEchoOptions = {}): Promise<WsEchoTarget> {
  const server: Server = createServer((_req, res) => res.end('ws echo'));
  const open = acceptWebSockets(server, options);
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

export interface ClientWebSocket {
  socket: Socket;
  /** Sends a text frame and resolves with the text of the next frame back. */
  echo(text: string): Promise<string>;
  closed: Promise<unknown>;
}

/** Opens a WebSocket through the listener as a signed-in browser tab would. */
export function openWebSocket(url: string, cookie: string): Promise<ClientWebSocket> {
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

/**
 * The open file descriptors of a process (Linux /proc), each as "number -> what it points at"
 * (`socket:[inode]`, a file path): a socket that was closed and a new one on the same number differ.
 */
export function openFds(pid: number): Set<string> {
  const dir = `/proc/${pid}/fd`;
  const fds = new Set<string>();
  for (const fd of readdirSync(dir)) {
    try {
      fds.add(`${fd} -> ${readlinkSync(`${dir}/${fd}`)}`);
    } catch {
      // Closed between the listing and the read.
    }
  }
  return fds;
}
