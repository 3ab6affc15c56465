// The session calls of the control API (docs/control-api.md, "Sign-in, sessions and simulation"
// and "Fault lab"): the sessions as the UI shows them, refreshing one now, signing one out, and
// the fault lab's expiry and persona switch answered with the session as it now is. A session
// that is not there is a 404; a refresh the provider refuses is a 409.
import { ApiError, type SessionView } from './api.ts';
import type { SessionService } from './auth/sessions.ts';
import type { FaultLab } from './fault-lab.ts';
import type { Session } from './identity.ts';

export interface SessionControlParts {
  sessions: SessionService;
  faultLab: FaultLab;
  /** A session as the UI shows it (session-view.ts, with its provider and timeline). */
  view(session: Session): Promise<SessionView>;
}

const notFound = (id: string) => new ApiError(404, 'not_found', `no session with id "${id}"`);

export class SessionControl {
  constructor(private readonly parts: SessionControlParts) {}

  list(): Promise<SessionView[]> {
    return Promise.all(this.parts.sessions.list().map((s) => this.parts.view(s)));
  }

  async refresh(id: string): Promise<SessionView> {
    try {
      return await this.parts.view(await this.parts.sessions.refreshNow(id));
    } catch (err) {
      if (!this.parts.sessions.get(id)) throw notFound(id);
      throw new ApiError(409, 'refresh_failed', (err as Error).message);
    }
  }

  /** Ends the session and revokes its tokens at the provider where it can. */
  async signOut(id: string): Promise<void> {
    if (!(await this.parts.sessions.end(id, { revoke: true }))) throw notFound(id);
  }

  /** Undefined once the session itself expired. */
  async expire(id: string, what: 'access' | 'session'): Promise<SessionView | undefined> {
    const session = await this.parts.faultLab.expire(id, what);
    return session && this.parts.view(session);
  }

  async switchPersona(id: string, persona: string): Promise<SessionView> {
    return this.parts.view(await this.parts.faultLab.switchPersona(id, persona));
  }
}
