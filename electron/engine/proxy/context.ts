// What one listener needs from the engine, gathered in one object so the request handlers
// stay plain functions of (context, request). The engine builds one per running upstream.
import type { UpstreamConfig } from '../config/types.ts';
import type { RequestLog } from '../log/request-log.ts';
import type { AuthProvider } from '../providers/provider.ts';
import type { RouteMatcher } from '../auth/routes.ts';
import type { SessionService } from '../auth/sessions.ts';
import type { CookieSealer } from '../auth/session-crypto.ts';
import type { ReplayGuard } from '../auth/replay-guard.ts';
import type { Forwarder } from './forward.ts';
import type { WebSocketProxy } from './websocket.ts';

export interface ProviderHandle {
  /** What the sign-in page calls it ("Built-in", "auth0"). */
  readonly label: string;
  /** The provider when its discovery has succeeded, else undefined. */
  ready(): AuthProvider | undefined;
  /** Why the provider is not ready ("issuer http://… is unreachable: connection refused"). */
  problem(): string | undefined;
  /** For /ready: like problem(), and also whether the provider answers right now (probed, cached briefly). */
  readiness(): Promise<string | undefined>;
}

export interface UpstreamContext {
  readonly upstream: UpstreamConfig;
  /** The port actually bound (differs from the config only in tests that ask for port 0). */
  readonly port: number;
  readonly cookieName: string;
  readonly csrfCookieName: string;
  readonly skipAuth: RouteMatcher;
  readonly apiRoutes: RouteMatcher;
  readonly provider: ProviderHandle;
  readonly sessions: SessionService;
  readonly sealer: CookieSealer;
  readonly log: RequestLog;
  readonly forwarder: Forwarder;
  readonly webSockets: WebSocketProxy;
  /** States of callbacks already completed, so a replayed callback is refused. */
  readonly usedStates: ReplayGuard;
  /** The simulated group set, while a simulation is active on this upstream. */
  simulatedGroups(): string[] | undefined;
}
