// One HTTP listener in front of one upstream: binds its host/port, hands requests to the
// request path and WebSocket upgrades to the upgrade path, reports bind failures as state
// (a port in use stops only this listener), and drains on stop.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ListenerState } from '../api.ts';
import { bindErrorMessage } from '../http/bind-error.ts';
import { LISTENER_MAX_CONNECTIONS, limitConnections, limitedServerOptions } from '../http/connection-limits.ts';
import type { UpstreamContext } from './context.ts';
import { handleRequest } from './handle-request.ts';
import { handleUpgrade } from './handle-upgrade.ts';

/**
 * How long stop() lets in-flight requests finish before closing their connections; of the
 * 5 s a stop signal allows before exit, the rest is for saving sessions and stopping the identity provider.
 */
const DRAIN_MS = 3_000;

export interface ListenerStatus {
  state: ListenerState;
  error?: string;
  port?: number;
}

export class UpstreamListener {
  private server: Server | undefined;
  private ctx: UpstreamContext | undefined;
  private current: ListenerStatus = { state: 'stopped' };

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** Builds the request context once the actual port is known. */
    private readonly makeContext: (port: number) => UpstreamContext,
  ) {}

  status(): ListenerStatus {
    return this.current;
  }

  async start(): Promise<ListenerStatus> {
    if (this.server) return this.current;
    this.current = { state: 'starting' };
    // Headers up to 128 KiB (Node's default is 16; oauth2-proxy keeps Go's 1 MiB): what passes
    // oauth2-proxy in production (a localhost Cookie header of several apps, a large token
    // passed on) passes here too, and an oversized bearer token gets the 401 that says why
    // (auth/bearer.ts) instead of a bare 431. The connection cap and headers timeout
    // (connection-limits.ts) bound what large headers can hold (docs/security.md, "Header size").
    const server = createServer({ keepAlive: true, maxHeaderSize: 128 * 1024, ...limitedServerOptions(true) });
    limitConnections(server, LISTENER_MAX_CONNECTIONS);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.port, this.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      this.current = { state: 'error', error: bindErrorMessage(err as NodeJS.ErrnoException, this.host, this.port) };
      return this.current;
    }
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : this.port;
    const ctx = this.makeContext(port);
    server.on('request', (req, res) => void handleRequest(ctx, req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void handleUpgrade(ctx, req, socket, head));
    this.server = server;
    this.ctx = ctx;
    this.current = { state: 'running', port };
    return this.current;
  }

  /** Stops accepting, lets in-flight requests finish (up to DRAIN_MS), then closes what is left. */
  async stop(): Promise<void> {
    const { server, ctx } = this;
    if (!server || !ctx) {
      this.current = { state: 'stopped' };
      return;
    }
    this.server = undefined;
    this.ctx = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Upgraded sockets (WebSockets) are outside the server's request tracking and would hold
    // close() open for as long as a tab stays open: they end now, and the app reconnects.
    ctx.webSockets.close();
    for (const t of ctx.pathTargets) t.webSockets.close();
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await closed;
    clearTimeout(timer);
    await Promise.all([ctx.forwarder, ...ctx.pathTargets.map((t) => t.forwarder)].map((f) => f.close()));
    this.current = { state: 'stopped' };
  }
}
