// Relays an allowed WebSocket upgrade (Streamlit's /_stcore/stream) to its target with
// http-proxy-3, after giving the handshake the same header treatment as plain requests. A target
// that is down or silent gets the client an HTTP error status line instead of a hung socket.
// http-proxy-3 is loaded at the first upgrade (http-proxy-server.ts), so apps without
// WebSockets never load it.
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProxyServer } from 'http-proxy-3';
import { buildOutgoingHeaders, type HeaderPolicy } from './outgoing-headers.ts';

export interface UpgradeOptions extends HeaderPolicy {
  /** Normalized path and search, as decided by the caller. */
  path: string;
}

/** How the handshake ended: 101 when the target switched protocols, else the status the client got. */
export interface UpgradeOutcome {
  status: number;
  error?: 'target_down' | 'timeout' | 'client_closed';
}

export interface WebSocketProxy {
  /**
   * Takes over `req` and `socket`: their headers and URL are rewritten for the target. Resolves
   * once the target has answered (or failed to), so the request log records what really happened.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, opts: UpgradeOptions): Promise<UpgradeOutcome>;
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
  const open = new Set<Duplex>();
  // Requests whose target already switched protocols: an error after that cannot become a status line.
  const upgraded = new WeakSet<IncomingMessage>();
  // Each handshake's settle function: the first answer wins.
  const pending = new WeakMap<IncomingMessage, (outcome: UpgradeOutcome) => void>();
  const setCookieFilters = new WeakMap<IncomingMessage, (line: string) => boolean>();
  let proxy: Promise<ProxyServer> | undefined;
  const proxyServer = () =>
    (proxy ??= import('./http-proxy-server.ts').then(({ createProxyServer }) => {
      const server = createProxyServer({ target: targetUrl, ws: true, xfwd: false, prependPath: true });
      server.on('proxyReqWs', (proxyReq: ClientRequest, req: IncomingMessage, socket: Duplex) => {
        // Once the browser's side has closed, the app's side is closed too. http-proxy-3 only ends
        // it, which leaves it half-open (a socket and a file descriptor here) for as long as the
        // app ignores the end; a handshake still in flight is abandoned.
        let appSocket: Duplex | undefined;
        // Registered before http-proxy-3's own listener, so the 101 it relays is already filtered.
        proxyReq.once('upgrade', (proxyRes: IncomingMessage, proxySocket: Duplex) => {
          upgraded.add(req);
          const drop = setCookieFilters.get(req);
          const lines = proxyRes.headers['set-cookie'];
          if (drop && lines) proxyRes.headers['set-cookie'] = lines.filter((line) => !drop(line));
          appSocket = proxySocket;
          pending.get(req)?.({ status: 101 });
          if (socket.destroyed) proxySocket.destroy();
        });
        // The target answered without switching protocols; http-proxy-3 relays that answer.
        proxyReq.once('response', (res: IncomingMessage) => pending.get(req)?.({ status: res.statusCode ?? 502 }));
        socket.once('close', () => (appSocket ? appSocket.destroy() : proxyReq.destroy()));
        proxyReq.setTimeout(handshakeTimeoutMs, () => {
          proxyReq.destroy(new HandshakeTimeout(`${target} did not answer the WebSocket handshake within ${handshakeTimeoutMs} ms`));
        });
      });
      return server;
    }));

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

      let settle!: (outcome: UpgradeOutcome) => void;
      const outcome = new Promise<UpgradeOutcome>((resolve) => {
        settle = (o) => {
          pending.delete(req);
          resolve(o);
        };
      });
      pending.set(req, settle);

      open.add(socket);
      socket.once('close', () => {
        open.delete(socket);
        pending.get(req)?.({ status: 499, error: 'client_closed' });
      });
      socket.on('error', () => socket.destroy());
      // A WebSocket has no half-closed state: once the browser stops sending (it closed the tab,
      // or vanished), the connection is over, and closing this side lets it be freed.
      socket.once('end', () => socket.end());

      void proxyServer().then((server) => {
        // The client may have gone, or the listener stopped, while http-proxy-3 was loading.
        if (socket.destroyed) return;
        server.ws(req, socket, head, {}, (err) => {
          if (upgraded.has(req)) return;
          const timedOut = err instanceof HandshakeTimeout;
          const status = timedOut ? 504 : 502;
          pending.get(req)?.({ status, error: timedOut ? 'timeout' : 'target_down' });
          if (!socket.writable) return;
          const body = timedOut
            ? `${target} did not answer the WebSocket handshake in time.\n`
            : `Portcullis could not reach ${target} — is your app running?\n`;
          writeStatus(socket, status, timedOut ? 'Gateway Timeout' : 'Bad Gateway', body);
        });
      });
      return outcome;
    },
    close() {
      for (const socket of open) socket.destroy();
      open.clear();
      void proxy?.then((server) => server.close());
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
