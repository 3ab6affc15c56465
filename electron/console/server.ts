// The headless console: ControlApi over HTTP + SSE under /api/v1/, and the renderer build,
// on a loopback port guarded by a per-launch token and a Host check (docs/control-api.md).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApiError, type ControlApi } from '../engine/api.ts';
import { limitConnections, limitedServerOptions } from '../engine/http/connection-limits.ts';
import { checkHost, checkOrigin, checkToken, tokenMatches } from './guard.ts';
import { OpenCodes } from './open-codes.ts';
import { matchRoute } from './routes.ts';
import { readJsonBody } from './body.ts';
import { streamEvents } from './events.ts';
import { serveStatic } from './static.ts';

export interface ConsoleOptions {
  api: ControlApi;
  host?: string;
  port: number;
  token?: string;
  rendererDir: string;
}

export interface ConsoleHandle {
  /** http://127.0.0.1:<port>/?token=<token>: print it, never log it elsewhere. */
  url: string;
  /** http://127.0.0.1:<port>/?code=<one-time code>: for a browser started by Portcullis, whose arguments others can read. */
  openUrl(): string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const API_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

export async function startConsole(opts: ConsoleOptions): Promise<ConsoleHandle> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const streams = new Set<() => void>();
  const openCodes = new OpenCodes();
  let port = opts.port;

  const server = createServer(limitedServerOptions(false), (req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, err));
  });
  limitConnections(server);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkHost(req, port);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/api/v1/console-token' && req.method === 'POST') return redeemOpenCode(req, res);
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError(405, 'method_not_allowed', 'only GET is allowed here');
    // The page keeps the printed URL's token in its own origin's storage (renderer/src/api/console-token.ts).
    if (url.pathname === '/' && url.searchParams.has('token') && !tokenMatches(url.searchParams.get('token') ?? '', token)) {
      throw new ApiError(401, 'unauthorized', 'the console token is wrong: open the URL that portcullis printed');
    }
    await serveStatic(opts.rendererDir, url.pathname, res);
  }

  /** The page opened by --open trades its one-time code for the token. */
  async function redeemOpenCode(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkOrigin(req, port);
    const body = await readJsonBody(req);
    if (!openCodes.redeem((body as { code?: unknown } | null)?.code)) {
      throw new ApiError(401, 'unauthorized', 'this link was already used or has expired: open the URL that portcullis printed');
    }
    sendJson(res, 200, { token });
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    checkToken(req, token);
    checkOrigin(req, port);
    const method = req.method ?? 'GET';
    if (url.pathname === '/api/v1/events' && method === 'GET') {
      const end = streamEvents(opts.api, req, res);
      streams.add(end);
      req.on('close', () => streams.delete(end));
      return;
    }
    const { route, params } = matchRoute(method, url.pathname);
    const result = await route.handle({ api: opts.api, req, params, query: url.searchParams, body: () => readJsonBody(req) });
    if (result === undefined) {
      res.writeHead(204, API_HEADERS);
      res.end();
      return;
    }
    sendJson(res, 200, result);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    openUrl: () => `http://127.0.0.1:${port}/?code=${openCodes.issue()}`,
    port,
    token,
    async close() {
      for (const end of streams) end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...API_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const apiError = asApiError(err);
  sendJson(res, apiError.status, apiError.toBody());
}

function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { status?: unknown; code?: unknown; message?: unknown; path?: unknown } | undefined;
  // The engine's ApiErrors may cross a module boundary (tsx vs vite), so accept the shape too.
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 600 && typeof e.code === 'string') {
    return new ApiError(e.status, e.code, String(e.message), typeof e.path === 'string' ? e.path : undefined);
  }
  return new ApiError(500, 'internal_error', err instanceof Error ? err.message : 'internal error');
}
