// The form helpers and "explain" bound to the running engine: they read the live settings,
// listeners, sessions and simulations, and hand them to the pure functions of diagnostics.ts
// and explain.ts, which decide.
import { ApiError, type CheckResult, type ExplainInput, type Explanation, type RouteTest } from './api.ts';
import type { SessionService } from './auth/sessions.ts';
import type { PortcullisConfig } from './config/types.ts';
import * as diagnostics from './diagnostics.ts';
import { explainRequest, type ExplainWho } from './explain.ts';
import type { IdentitySimulation } from './identity.ts';
import type { ListenerSet } from './listener-set.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type { SettingsService } from './settings-service.ts';

export class RequestInspector {
  constructor(
    private readonly settings: SettingsService,
    private readonly listeners: ListenerSet,
    private readonly sessions: SessionService,
    private readonly providers: ProviderRegistry,
    private readonly simulations: Map<string, IdentitySimulation>,
  ) {}

  private get config(): PortcullisConfig {
    return this.settings.config;
  }

  checkPort(host: string, port: number, upstreamId?: string): Promise<CheckResult> {
    const own = upstreamId ? this.listeners.status(upstreamId) : undefined;
    return diagnostics.checkPort(this.config, host, port, upstreamId, own?.state === 'running' ? own.port : undefined);
  }

  testRoute(upstreamId: string, method: string, path: string): RouteTest {
    return diagnostics.testRoute(this.settings.requireUpstream(upstreamId), method, path);
  }

  /** The headers the app would receive: from the given session, else the upstream's first session, else the first persona. */
  previewHeaders(upstreamId: string, sessionId?: string): Record<string, string> {
    const upstream = this.settings.requireUpstream(upstreamId);
    const session = sessionId ? this.sessions.get(sessionId) : this.sessions.list().find((s) => s.upstreamId === upstreamId);
    return diagnostics.previewHeaders(upstream, session, this.config.builtinIdp.users[0], this.simulations.get(upstreamId));
  }

  explain(input: ExplainInput): Explanation {
    const upstream = this.settings.requireUpstream(input.upstream);
    return explainRequest(upstream, input, {
      ...this.identityFor(upstream.id, input.persona),
      simulation: this.simulations.get(upstream.id),
      providerProblem: this.providers.handle(upstream.provider).problem(),
    });
  }

  /** `persona` is a built-in persona's username or `session:<id>` of a session on this upstream. */
  private identityFor(upstreamId: string, persona: string | undefined): Pick<ExplainWho, 'identity' | 'tokens'> {
    if (persona === undefined) return {};
    if (persona.startsWith('session:')) {
      const id = persona.slice('session:'.length);
      const session = this.sessions.get(id);
      if (!session || session.upstreamId !== upstreamId) throw new ApiError(404, 'not_found', `no session "${id}" on upstream ${upstreamId}`, '$.persona');
      return { identity: session.identity, tokens: session.tokens };
    }
    const known = this.config.builtinIdp.users.find((u) => u.username === persona);
    if (!known) throw new ApiError(404, 'not_found', `no persona "${persona}"; use a built-in persona's username or "session:<id>"`, '$.persona');
    return { identity: diagnostics.sampleIdentity(known) };
  }
}
