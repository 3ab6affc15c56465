// The running listeners, one per started upstream: starting and stopping them, building the
// context each one serves with, and the URLs (a listener's, its sign-in's) and the ready lines
// the shells print.
import { csrfCookieName, sessionCookieName } from './auth/cookies.ts';
import type { AuthContext } from './auth/context.ts';
import { SIGN_IN_WINDOW_MS } from './auth/endpoints.ts';
import { ReplayGuard } from './auth/replay-guard.ts';
import { compileAccessRules } from './auth/access-rules.ts';
import { compileRoutes } from './auth/routes.ts';
import type { UpstreamConfig } from './config/types.ts';
import type { IdentitySimulation } from './identity.ts';
import { createForwarder } from './proxy/forward.ts';
import { UpstreamListener, type ListenerStatus } from './proxy/listener.ts';
import type { UpstreamContext } from './proxy/context.ts';
import { createWebSocketProxy } from './proxy/websocket.ts';
import { listenerUrl } from './state-view.ts';

/** What every listener shares, from the engine. */
export type SharedContext = Pick<AuthContext, 'sessions' | 'sealer' | 'log'> & {
  provider(id: string): AuthContext['provider'];
  simulation(upstreamId: string): IdentitySimulation | undefined;
};

export interface ListenerSetEvents {
  /** A listener started, stopped or failed. */
  changed(): void;
  /** A listener could not bind: said once, in the words of http/bind-error.ts. */
  failed(upstreamId: string, message: string): void;
}

export class ListenerSet {
  private readonly listeners = new Map<string, UpstreamListener>();

  constructor(
    private readonly shared: SharedContext,
    private readonly events: ListenerSetEvents,
  ) {}

  status(id: string): ListenerStatus | undefined {
    return this.listeners.get(id)?.status();
  }

  isRunning(id: string): boolean {
    return this.status(id)?.state === 'running';
  }

  url(upstream: UpstreamConfig): string {
    return listenerUrl(upstream, this.status(upstream.id)?.port);
  }

  /** Where a browser starts a sign-in on the upstream, as `persona` when one is given (a login hint). */
  signInUrl(upstream: UpstreamConfig, persona?: string): string {
    return `${this.url(upstream)}/oauth2/start${persona ? `?login_hint=${encodeURIComponent(persona)}` : ''}`;
  }

  /** Lines `serve` prints once everything listens. */
  readyLines(upstreams: UpstreamConfig[]): string[] {
    return upstreams
      .filter((u) => this.isRunning(u.id))
      .map((u) => `upstream ${u.id}  ${this.url(u)} -> ${u.target}  (provider ${u.provider})`);
  }

  /** (Re)starts the upstream's listener with its current settings. */
  async start(upstream: UpstreamConfig): Promise<void> {
    await this.listeners.get(upstream.id)?.stop();
    const listener = new UpstreamListener(upstream.listen.host, upstream.listen.port, (port) => this.context(upstream, port));
    this.listeners.set(upstream.id, listener);
    const status = await listener.start();
    if (status.state === 'error') this.events.failed(upstream.id, status.error ?? 'failed to start');
    this.events.changed();
  }

  async stop(id: string): Promise<void> {
    const listener = this.listeners.get(id);
    if (!listener) return;
    await listener.stop();
    this.events.changed();
  }

  /** Stops and forgets the upstream's listener (the upstream was removed). */
  async remove(id: string): Promise<void> {
    await this.stop(id);
    this.listeners.delete(id);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.listeners.keys()].map((id) => this.stop(id)));
  }

  /** Shutdown: stops every listener without announcing it. */
  async close(): Promise<void> {
    await Promise.all([...this.listeners.values()].map((l) => l.stop()));
  }

  private context(upstream: UpstreamConfig, port: number): UpstreamContext {
    return {
      upstream,
      port,
      cookieName: sessionCookieName(port),
      csrfCookieName: csrfCookieName(port),
      skipAuth: compileRoutes(upstream.skipAuthRoutes),
      apiRoutes: compileRoutes(upstream.apiRoutes),
      provider: this.shared.provider(upstream.provider),
      sessions: this.shared.sessions,
      sealer: this.shared.sealer,
      log: this.shared.log,
      rules: compileAccessRules(upstream.rules ?? []),
      forwarder: createForwarder(upstream.target),
      webSockets: createWebSocketProxy(upstream.target),
      pathTargets: (upstream.paths ?? []).map((p) => ({ target: p.target, forwarder: createForwarder(p.target), webSockets: createWebSocketProxy(p.target) })),
      usedStates: new ReplayGuard(SIGN_IN_WINDOW_MS),
      simulation: () => this.shared.simulation(upstream.id),
    };
  }
}
