// What every server Portcullis opens (listeners, console, built-in identity provider) allows a
// connection, so that slow or idle clients cannot hold it (slowloris) and a flood on one port
// cannot take the others down with it (docs/security.md):
// - the request headers must arrive within HEADERS_TIMEOUT_MS, else 408 and the connection
//   closes; this also ends connections that never send a request at all;
// - nothing limits a request once its headers are in: uploads, SSE and WebSockets run as long
//   as they need (Node's `requestTimeout` is 0 on listeners);
// - at most MAX_CONNECTIONS at once per server (LISTENER_MAX_CONNECTIONS on a listener); further
//   ones are closed as they arrive.
import type { Server, ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';

const HEADERS_TIMEOUT_MS = 60_000;
const MAX_CONNECTIONS = 512;
/**
 * A listener relays long-lived WebSockets (dev servers' HMR, Streamlit, an app open in many
 * tabs) and must hold a thousand of them, as `npm run bench` does; each takes a connection here
 * and one to the target, well inside the descriptor limits Node raises itself to.
 */
export const LISTENER_MAX_CONNECTIONS = 2048;

/**
 * The headers timeout, which tests shorten with PORTCULLIS_HEADERS_TIMEOUT_MS (an internal
 * knob, not a setting: nobody needs another value in use).
 */
function headersTimeoutMs(): number {
  const override = Number(process.env.PORTCULLIS_HEADERS_TIMEOUT_MS);
  return Number.isInteger(override) && override > 0 ? override : HEADERS_TIMEOUT_MS;
}

/**
 * Options for `createServer`. `longRequests` lifts the limit on receiving a whole request (the
 * listeners' uploads); otherwise Node's default of 5 minutes applies.
 */
export function limitedServerOptions(longRequests: boolean): ServerOptions {
  const headersTimeout = headersTimeoutMs();
  return {
    ...(longRequests ? { requestTimeout: 0 } : {}),
    // Given explicitly: with requestTimeout 0 Node would turn the headers timeout off too.
    headersTimeout,
    // How often Node looks for expired connections; a short timeout needs a short look.
    connectionsCheckingInterval: Math.min(30_000, Math.max(25, Math.floor(headersTimeout / 4))),
  };
}

/** Caps the connections and answers malformed or too slow requests with a status line. */
export function limitConnections(server: Server, maxConnections = MAX_CONNECTIONS): void {
  server.maxConnections = maxConnections;
  server.on('clientError', answerClientError);
}

function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
