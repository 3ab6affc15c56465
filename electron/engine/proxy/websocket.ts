// Relays an allowed WebSocket upgrade (Streamlit's /_stcore/stream) to its target with
// http-proxy-3, after giving the handshake the same header treatment as plain requests. A target
// that is down or silent gets the client an HTTP error status line instead of a hung socket.
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { buildOutgoingHeaders, type HeaderPolicy } from './outgoing-headers.ts';

export interface UpgradeOptions extends HeaderPolicy {
  /** Normalized path and search, as decided by the caller. */
  path: string;
}

export interface WebSocketProxy {
  /** Takes over `req` and `socket`: their headers and URL are rewritten for the target. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, opts: UpgradeOptions): void;
  /** Cuts every relayed WebSocket; used when the listener stops. */
  close(): void;
}

export interface WebSocketProxyOptions {
  /** How long the target may take to answer the handshake. Default 60 s. */
  handshakeTimeoutMs?: number;
}

class HandshakeTimeout extends Error {}

export function createWebSocketProxy(target: string, options: WebSocketProxyOptions = {}): WebSocketProxy {
  const targetUrl = new URL(target);
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 60_000;
  const proxy = createProxyServer({ target: targetUrl, ws: true, xfwd: false, prependPath: true });
  const open = new Set<Duplex>();
  // Requests whose target already switched protocols: an error after that cannot become a status line.
  const upgraded = new WeakSet<IncomingMessage>();
  const setCookieFilters = new WeakMap<IncomingMessage, (line: string) => boolean>();

  proxy.on('proxyReqWs', (proxyReq: ClientRequest, req: IncomingMessage) => {
    // Registered before http-proxy-3's own listener, so the 101 it relays is already filtered.
    proxyReq.once('upgrade', (proxyRes: IncomingMessage) => {
      upgraded.add(req);
      const drop = setCookieFilters.get(req);
      const lines = proxyRes.headers['set-cookie'];
      if (drop && lines) proxyRes.headers['set-cookie'] = lines.filter((line) => !drop(line));
    });
    proxyReq.setTimeout(handshakeTimeoutMs, () => {
      proxyReq.destroy(new HandshakeTimeout(`${target} did not answer the WebSocket handshake within ${handshakeTimeoutMs} ms`));
    });
  });

  return {
    upgrade(req, socket, head, opts) {
      const { list } = buildOutgoingHeaders(req, opts);
      const headers: OutgoingHttpHeaders = {};
      for (let i = 0; i < list.length; i += 2) appendHeader(headers, list[i], list[i + 1]);
      headers.connection = 'Upgrade';
      headers.upgrade = req.headers.upgrade ?? 'websocket';
      req.headers = headers as IncomingMessage['headers'];
      req.url = opts.path;
      if (opts.dropSetCookie) setCookieFilters.set(req, opts.dropSetCookie);

      open.add(socket);
      socket.once('close', () => open.delete(socket));
      socket.on('error', () => socket.destroy());

      proxy.ws(req, socket, head, {}, (err) => {
        if (upgraded.has(req) || !socket.writable) return;
        const timedOut = err instanceof HandshakeTimeout;
        const body = timedOut
          ? `${target} did not answer the WebSocket handshake in time.\n`
          : `Portcullis could not reach ${target} — is your app running?\n`;
        writeStatus(socket, timedOut ? 504 : 502, timedOut ? 'Gateway Timeout' : 'Bad Gateway', body);
      });
    },
    close() {
      for (const socket of open) socket.destroy();
      open.clear();
      proxy.close();
    },
  };
}

function appendHeader(headers: OutgoingHttpHeaders, name: string, value: string): void {
  const prior = headers[name];
  if (prior === undefined) headers[name] = value;
  else headers[name] = Array.isArray(prior) ? [...prior, value] : [String(prior), value];
}

function writeStatus(socket: Duplex, status: number, reason: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${bytes.length}\r\n` +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}
