// A tiny Node target that answers every request with what it received, so tests can see exactly
// which headers and cookies Portcullis let through. It logs every request and WebSocket handshake,
// so a test can prove a refused request never reached it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';

export interface EchoRequest {
  method: string;
  /** The request target exactly as received (path and query). */
  url: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names, as Node parses them. */
  headers: Record<string, string | string[] | undefined>;
  /** Name/value pairs in the spelling they arrived in. */
  rawHeaders: [string, string][];
  cookies: Record<string, string>;
  upgrade: boolean;
}

export interface EchoTarget {
  url: string;
  port: number;
  requests: EchoRequest[];
  stop(): Promise<void>;
}

function describe(req: IncomingMessage, upgrade: boolean): EchoRequest {
  const url = req.url ?? '/';
  const parsed = new URL(url, 'http://echo.invalid');
  const rawHeaders: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  const cookies: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return {
    method: req.method ?? 'GET',
    url,
    path: url.split('?')[0],
    query: Object.fromEntries(parsed.searchParams),
    headers: req.headers,
    rawHeaders,
    cookies,
    upgrade,
  };
}

/** `?set-cookie=NAME` (repeatable) makes the answer set each NAME, as an app could try to. */
function plantedCookies(req: IncomingMessage): string[] {
  return new URL(req.url ?? '/', 'http://echo.invalid').searchParams.getAll('set-cookie').map((name) => `${name}=planted; Path=/`);
}

/** Starts the echo target on `port` (0 = any free port; a fixed port lets a test bring it back up). */
export function startEcho(port = 0): Promise<EchoTarget> {
  const requests: EchoRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const seen = describe(req, false);
    requests.push(seen);
    req.resume();
    req.on('end', () => {
      // /slow?ms=N keeps the request in flight, for drain tests.
      const delay = seen.path === '/slow' ? Number(seen.query.ms ?? 500) : 0;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': plantedCookies(req) });
        res.end(JSON.stringify(seen));
      }, delay);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket: Socket) => {
    requests.push(describe(req, true));
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    const cookies = plantedCookies(req).map((line) => `Set-Cookie: ${line}\r\n`).join('');
    socket.end(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n${cookies}\r\n`,
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: `http://127.0.0.1:${bound}`,
        port: bound,
        requests,
        stop: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
