// The fault lab (docs/control-api.md, "Fault lab"): what goes wrong around sign-in, made to
// happen on demand. Expiring a session's access token or the session itself, switching a
// session to another persona by a sign-in at the built-in provider without the browser, and the
// built-in provider's faults. The engine (for the faults) and session control
// (session-control.ts, for the sessions) delegate one call each here.
import { ApiError, type IdpFaults } from './api.ts';
import type { SessionService } from './auth/sessions.ts';
import type { SessionTimeline } from './auth/session-timeline.ts';
import { callbackUrlFor } from './auth/callback-url.ts';
import type { UpstreamConfig } from './config/types.ts';
import type { Session } from './identity.ts';
import type { BuiltinIdp } from './idp/builtin-idp.ts';
import { NO_FAULTS } from './idp/faults.ts';
import { IdpRequestError } from './idp/request-error.ts';
import type { AuthProvider } from './providers/types.ts';

export interface FaultLabParts {
  sessions: SessionService;
  timeline: SessionTimeline;
  provider(id: string): AuthProvider | undefined;
  builtinIdp(): BuiltinIdp | undefined;
  upstream(id: string): UpstreamConfig | undefined;
  /** The port the upstream's listener is bound to, when running. */
  listenerPort(id: string): number | undefined;
  /** The provider's faults changed: what was probed about it before no longer holds. */
  faultsChanged(): void;
}

export class FaultLab {
  #faults: IdpFaults = NO_FAULTS;

  constructor(private readonly parts: FaultLabParts) {}

  /** The faults in force, or undefined when none is. */
  get faults(): IdpFaults | undefined {
    const f = this.#faults;
    return f.signIn || f.refresh || f.latencyMs > 0 || f.down ? f : undefined;
  }

  #session(id: string): Session {
    const session = this.parts.sessions.get(id);
    if (!session) throw new ApiError(404, 'not_found', `no session with id "${id}"`);
    return session;
  }

  /** `access`: the next request runs the refresh path; `session`: ends it as its cookie lifetime would. */
  async expire(id: string, what: 'access' | 'session'): Promise<Session | undefined> {
    this.#session(id);
    if (what === 'session') {
      await this.parts.sessions.end(id, { revoke: false, reason: 'the session expired (on demand)' });
      return undefined;
    }
    this.parts.timeline.record(id, 'access-expired', 'the access token expired (on demand)');
    return this.parts.sessions.expireAccess(id);
  }

  /**
   * Signs in as `persona` at the built-in provider without the browser: the provider walks the
   * authorization request this listener would send a browser on, and the code it hands back is
   * exchanged as at /oauth2/callback. The session keeps its id, so the browser's cookie now
   * stands for the new persona.
   */
  async switchPersona(id: string, persona: string): Promise<Session> {
    const session = this.#session(id);
    const provider = this.parts.provider(session.providerId);
    const idp = this.parts.builtinIdp();
    if (provider?.type !== 'builtin' || !idp) {
      throw new ApiError(409, 'not_builtin', `session ${id} is signed in through "${session.providerId}"; only sessions of the built-in provider can switch persona`);
    }
    const upstream = this.parts.upstream(session.upstreamId);
    const port = this.parts.listenerPort(session.upstreamId);
    if (!upstream || port === undefined) throw new ApiError(409, 'not_running', `the listener of ${session.upstreamId} is not running`);
    const redirectUri = callbackUrlFor(undefined, port, upstream);
    let result;
    try {
      const { url, checks } = await provider.startAuth({ redirectUri, loginHint: persona });
      const { callbackUrl } = await idp.signIn({ authorizationUrl: url, persona });
      result = await provider.finishAuth({ callbackUrl: new URL(callbackUrl), redirectUri, checks });
    } catch (err) {
      if (err instanceof IdpRequestError) throw new ApiError(400, 'unknown_persona', err.message, '$.persona');
      throw new ApiError(409, 'switch_failed', `the sign-in as ${persona} failed: ${(err as Error).message}`);
    }
    const replaced = this.parts.sessions.replace(id, result);
    if (!replaced) throw new ApiError(404, 'not_found', `session ${id} ended during the switch`);
    this.parts.timeline.record(id, 'switched', `switched to ${persona} (${result.identity.email || result.identity.user})`);
    return replaced;
  }

  /** Replaces every fault of the built-in provider (fields left out are cleared). */
  async setFaults(faults: Partial<IdpFaults>): Promise<void> {
    const idp = this.parts.builtinIdp();
    if (!idp) throw new ApiError(409, 'no_builtin_idp', 'the built-in identity provider is not running (no provider of type builtin)');
    try {
      this.#faults = await idp.setFaults({ ...NO_FAULTS, ...faults });
      this.parts.faultsChanged();
    } catch (err) {
      if (err instanceof IdpRequestError) throw new ApiError(400, 'invalid_body', err.message, '$');
      throw err;
    }
  }

  async clearFaults(): Promise<void> {
    if (this.parts.builtinIdp()) await this.setFaults(NO_FAULTS);
    this.#faults = NO_FAULTS;
  }
}
