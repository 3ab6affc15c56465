// Real servers for the proxy tests: a target on an ephemeral port, a proxy in front of it that
// hands every request to a Forwarder, and a small HTTP client that keeps raw control of headers.
import { createServer, request, type Agent, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createForwarder, type ForwardOptions, type ForwardOutcome, type Forwarder, type ForwarderOptions } from '../../electron/engine/proxy/forward.ts';

// Upgraded sockets leave the server's own bookkeeping, so closeAllConnections misses them.
const sockets = new WeakMap<Server, Set<Socket>>();

export async function listen(server: Server, port = 0): Promise<number> {
  const open = new Set<Socket>();
  sockets.set(server, open);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  for (const socket of sockets.get(server) ?? []) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface Target {
  server: Server;
  port: number;
  url: string;
  /** Every request the target saw, with its headers as they arrived. */
  seen: IncomingMessage[];
  connections: number;
  close(): Promise<void>;
}

export async function startTarget(handler: RequestListener, port = 0): Promise<Target> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  const target = { server, seen, connections: 0 } as Target;
  server.on('connection', () => target.connections++);
  target.port = await listen(server, port);
  target.url = `http://127.0.0.1:${target.port}`;
  target.close = () => closeServer(server);
  return target;
}

/** A port nothing listens on (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

export interface Proxy {
  port: number;
  forwarder: Forwarder;
  outcomes: ForwardOutcome[];
  /** Resolves with the outcome of the next forwarded request. */
  nextOutcome(): Promise<ForwardOutcome>;
  close(): Promise<void>;
}

export async function startProxy(
  target: string,
  options: ForwarderOptions = {},
  decide: (req: IncomingMessage) => Partial<ForwardOptions> = () => ({}),
): Promise<Proxy> {
  const forwarder = createForwarder(target, options);
  const outcomes: ForwardOutcome[] = [];
  const waiting: Array<(o: ForwardOutcome) => void> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void forwarder.forward(req, res, { path: req.url ?? '/', ...decide(req) }).then((outcome) => {
      outcomes.push(outcome);
      waiting.shift()?.(outcome);
    });
  });
  const port = await listen(server);
  return {
    port,
    forwarder,
    outcomes,
    nextOutcome: () => new Promise((resolve) => waiting.push(resolve)),
    async close() {
      await closeServer(server);
      await forwarder.close();
    },
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

export function send(
  port: number,
  opts: { method?: string; path?: string; headers?: OutgoingHttpHeaders | string[]; body?: Buffer | string; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: opts.headers, agent: opts.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
