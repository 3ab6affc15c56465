// Sessions as the listeners use them: cookie value -> session (the store decrypts each
// distinct cookie value once), creation after sign-in, refresh shortly before
// the access token expires, and sign-out with revocation at the provider.
import type { Session } from '../identity.ts';
import type { AuthProvider, AuthResult } from '../providers/types.ts';
import type { CookieSealer } from './session-crypto.ts';
import type { SessionStore } from './session-store.ts';

/** Refresh this long before the access token expires, so requests never carry a stale token. */
const REFRESH_SKEW_MS = 60_000;
/** After a failed refresh, requests use the still-valid token this long before trying again. */
const REFRESH_RETRY_MS = 5_000;
/** Sessions that cannot refresh are announced this long before they expire (the desktop notifies). */
export const EXPIRY_WARNING_MS = 5 * 60_000;
/** A session ends this long after sign-in whatever its tokens say, as oauth2-proxy's cookie-expire (168h). */
export const SESSION_MAX_AGE_MS = 7 * 24 * 3600_000;

/** Binds a sealed session cookie to its upstream: one from another listener does not open. */
const sessionCookieContext = (upstreamId: string) => `session:${upstreamId}`;

export interface SessionEvents {
  started(session: Session): void;
  updated(session: Session): void;
  /** New tokens from the provider (a refresh). */
  refreshed(session: Session): void;
  /** Why it ended, in words ("signed out", "the refresh token was refused: …"). */
  ended(sessionId: string, reason: string): void;
  /** A refresh in the background failed: the session lives on until its token expires. */
  refreshFailed(session: Session, message: string): void;
}

export class SessionService {
  private readonly refreshes = new Map<string, Promise<Session | undefined>>();
  private readonly refreshFailedAt = new Map<string, number>();
  /** Sessions already announced as expiring, so each is announced once. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly store: SessionStore,
    private readonly sealer: CookieSealer,
    private readonly providerFor: (providerId: string) => AuthProvider | undefined,
    private readonly events: SessionEvents,
  ) {}

  /** The session a cookie value refers to, if it is ours, intact and for this upstream. Never throws. */
  lookup(cookieValue: string | undefined, upstreamId: string): Session | undefined {
    const session = this.store.resolveCookie(cookieValue, this.sealer, sessionCookieContext(upstreamId));
    if (session?.upstreamId !== upstreamId) return undefined;
    if (this.isTooOld(session)) {
      void this.end(session.id, { revoke: false, reason: 'the session reached its maximum age' });
      return undefined;
    }
    return session;
  }

  private isTooOld(session: Session, now = Date.now()): boolean {
    return now - session.createdAt > SESSION_MAX_AGE_MS;
  }

  /** Ends the sessions past their maximum age (at start, so the store does not keep them forever). */
  async pruneExpired(): Promise<void> {
    for (const s of this.store.list()) if (this.isTooOld(s)) await this.end(s.id, { revoke: false, reason: 'the session reached its maximum age' });
  }

  /** True when the session can be used as it is, without a refresh first. */
  isFresh(session: Session, now = Date.now()): boolean {
    const expiresAt = session.tokens.expiresAt;
    return expiresAt === undefined || expiresAt - now > REFRESH_SKEW_MS;
  }

  /**
   * The session made usable: refreshed when its token is about to expire and the provider
   * can refresh; undefined (and ended) when it has expired for good.
   */
  async ensureFresh(session: Session): Promise<Session | undefined> {
    if (this.isFresh(session)) return session;
    const failedAt = this.refreshFailedAt.get(session.id);
    if (failedAt !== undefined && Date.now() - failedAt < REFRESH_RETRY_MS && (session.tokens.expiresAt ?? Infinity) > Date.now()) return session;
    const pending = this.refreshes.get(session.id);
    if (pending) return pending;
    const work = this.refreshOrExpire(session).finally(() => this.refreshes.delete(session.id));
    this.refreshes.set(session.id, work);
    return work;
  }

  private async refreshOrExpire(session: Session): Promise<Session | undefined> {
    const provider = this.providerFor(session.providerId);
    if (provider?.canRefresh(session.tokens)) {
      try {
        const refreshed = this.applyRefresh(session, await provider.refresh(session.tokens));
        this.refreshFailedAt.delete(session.id);
        return refreshed;
      } catch (err) {
        const message = (err as Error).message;
        this.refreshFailedAt.set(session.id, Date.now());
        this.events.refreshFailed(session, message);
        // A refused refresh token will not work later either: the session ends now, cleanly.
        if ((err as { code?: string }).code === 'invalid_grant') {
          await this.end(session.id, { revoke: false, reason: `the provider refused the refresh token: ${message}` });
          return undefined;
        }
        // The provider is unreachable or failed: fall through to expiry while the token still
        // has some life, so a provider blip does not sign anyone out early.
      }
    }
    const expiresAt = session.tokens.expiresAt ?? Infinity;
    if (expiresAt > Date.now()) return session;
    await this.end(session.id, { revoke: false, reason: provider?.canRefresh(session.tokens) ? 'the access token expired and could not be refreshed' : 'the access token expired (no refresh token)' });
    return undefined;
  }

  private applyRefresh(session: Session, result: AuthResult): Session | undefined {
    const updated = this.store.update(session.id, {
      identity: result.identity,
      // A provider that sends no new refresh token keeps the old one valid, with its expiry.
      tokens: result.tokens.refreshToken ? result.tokens : { ...result.tokens, refreshToken: session.tokens.refreshToken, refreshExpiresAt: session.tokens.refreshExpiresAt },
      ...(result.userinfo ? { userinfo: result.userinfo } : {}),
    });
    if (updated) {
      this.events.refreshed(updated);
      this.events.updated(updated);
    }
    return updated;
  }

  /** Marks the access token expired now, so the next request runs the refresh path (the fault lab). */
  expireAccess(id: string): Session | undefined {
    const session = this.store.get(id);
    if (!session) return undefined;
    this.refreshFailedAt.delete(id);
    const updated = this.store.update(id, { tokens: { ...session.tokens, expiresAt: Date.now() - 1 } });
    if (updated) this.events.updated(updated);
    return updated;
  }

  /** Replaces who the session is by a fresh sign-in's result, keeping its id and so the browser's cookie. */
  replace(id: string, result: AuthResult): Session | undefined {
    this.refreshFailedAt.delete(id);
    this.warned.delete(id);
    const updated = this.store.update(id, { identity: result.identity, tokens: result.tokens, userinfo: result.userinfo });
    if (updated) this.events.updated(updated);
    return updated;
  }

  /**
   * Sessions that will expire within EXPIRY_WARNING_MS and cannot be refreshed, each returned
   * once: the user has to sign in again, and is told before it happens.
   */
  takeExpiring(now = Date.now()): Session[] {
    return this.store.list().filter((s) => {
      const left = (s.tokens.expiresAt ?? Infinity) - now;
      if (this.warned.has(s.id) || left <= 0 || left > EXPIRY_WARNING_MS) return false;
      if (this.providerFor(s.providerId)?.canRefresh(s.tokens)) return false;
      this.warned.add(s.id);
      return true;
    });
  }

  /** Refresh now, whatever the expiry (the UI's "refresh now"). */
  async refreshNow(id: string): Promise<Session> {
    const session = this.store.get(id);
    if (!session) throw new Error(`no session ${id}`);
    const provider = this.providerFor(session.providerId);
    if (!provider?.canRefresh(session.tokens)) throw new Error('this session has no refresh token; sign in again');
    const updated = this.applyRefresh(session, await provider.refresh(session.tokens));
    if (!updated) throw new Error(`session ${id} ended during the refresh`);
    return updated;
  }

  create(upstreamId: string, providerId: string, result: AuthResult): { session: Session; cookieValue: string } {
    const session = this.store.create({
      upstreamId,
      providerId,
      identity: result.identity,
      tokens: result.tokens,
      ...(result.userinfo ? { userinfo: result.userinfo } : {}),
    });
    const cookieValue = this.sealer.seal(session.id, sessionCookieContext(upstreamId));
    this.events.started(session);
    return { session, cookieValue };
  }

  get(id: string): Session | undefined {
    return this.store.get(id);
  }

  list(): Session[] {
    return this.store.list();
  }

  /** Ends a session; with `revoke`, also revokes its tokens at the provider (best effort). */
  async end(id: string, opts: { revoke: boolean; reason?: string }): Promise<boolean> {
    const session = this.store.get(id);
    if (!session) return false;
    this.store.delete(id);
    this.refreshFailedAt.delete(id);
    this.warned.delete(id);
    this.events.ended(id, opts.reason ?? (opts.revoke ? 'signed out' : 'ended'));
    if (opts.revoke) await this.providerFor(session.providerId)?.revoke(session.tokens);
    return true;
  }

  /** Ends every session of an upstream (it was removed). */
  async endAllFor(upstreamId: string): Promise<void> {
    for (const s of this.store.list()) if (s.upstreamId === upstreamId) await this.end(s.id, { revoke: false, reason: 'its upstream was removed or changed provider' });
  }

  /** Saves every session and stops saving; called once, on shutdown. */
  close(): Promise<void> {
    return this.store.close();
  }
}
