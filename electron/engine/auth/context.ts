// What the sign-in side of one listener needs from the engine: the upstream's settings, its
// provider, the session service and the request log. proxy/context.ts adds the forwarding
// parts; keeping this half here lets auth stay below proxy in the one-way graph
// (docs/architecture.md).
import type { UpstreamConfig } from '../config/types.ts';
import type { IdentitySimulation } from '../identity.ts';
import type { RequestLog } from '../log/request-log.ts';
import type { ProviderHandle } from '../providers/types.ts';
import type { ReplayGuard } from './replay-guard.ts';
import type { AccessRuleMatcher } from './access-rules.ts';
import type { RouteMatcher } from './routes.ts';
import type { CookieSealer } from './session-crypto.ts';
import type { SessionService } from './sessions.ts';

export interface AuthContext {
  readonly upstream: UpstreamConfig;
  /** The port actually bound (differs from the config only in tests that ask for port 0). */
  readonly port: number;
  readonly cookieName: string;
  readonly csrfCookieName: string;
  readonly skipAuth: RouteMatcher;
  readonly apiRoutes: RouteMatcher;
  /** The upstream's `rules`, compiled. */
  readonly rules: AccessRuleMatcher;
  readonly provider: ProviderHandle;
  readonly sessions: SessionService;
  readonly sealer: CookieSealer;
  readonly log: RequestLog;
  /** States of callbacks already completed, so a replayed callback is refused. */
  readonly usedStates: ReplayGuard;
  /** The identity simulation, while one is active on this upstream. */
  simulation(): IdentitySimulation | undefined;
}
