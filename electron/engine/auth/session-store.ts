// Server-side sessions: the tokens live here, the browser holds only a sealed reference.
// Kept in memory for the request path and persisted encrypted at rest (one file, written
// atomically, debounced after changes), so sessions survive a restart (docs/security.md).

import { randomBytes } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import { decryptJson, encryptJson } from '../config/at-rest.ts';
import { writeFileAtomic } from '../config/atomic-write.ts';
import type { Session } from '../identity.ts';
import { ignoreProblems, type ReportProblem } from '../problems.ts';
import type { CookieSealer } from './session-crypto.ts';

export type NewSession = Omit<Session, 'id' | 'createdAt' | 'updatedAt'>;
export type SessionPatch = Partial<Omit<Session, 'id' | 'createdAt' | 'updatedAt'>>;

export interface SessionStoreOptions {
  file: string;
  /** 32-byte key for the file's encryption. */
  key: Buffer;
  /** Delay between a change and its automatic save; default 250 ms. */
  debounceMs?: number;
  /** How many sealed cookie values to remember; default 10,000. */
  cookieCacheSize?: number;
  /** Called when an automatic save fails; default writes one line to stderr. */
  /** Where a failed save is reported (the engine logs it and tells the UIs). */
  report?: ReportProblem;
}

/** Bound into the file's encryption so another encrypted Portcullis file is not read as sessions. */
const LABEL = 'portcullis-sessions';

interface PersistedFile {
  version: 1;
  sessions: Session[];
}

export class SessionStore {
  /** What went wrong while loading (a corrupt file set aside, entries skipped), in words for the user. */
  readonly warnings: string[] = [];
  readonly #sessions = new Map<string, Session>();
  /** `context \0 cookie value` → session id, per sealer, so a cookie is decrypted once per session. */
  readonly #cookieIds = new Map<CookieSealer, Map<string, string>>();
  readonly #file: string;
  readonly #key: Buffer;
  readonly #debounceMs: number;
  readonly #cacheSize: number;
  readonly #report: ReportProblem;
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  #closed = false;
  #writing: Promise<void> = Promise.resolve();

  private constructor(opts: SessionStoreOptions) {
    this.#file = opts.file;
    this.#key = opts.key;
    this.#debounceMs = opts.debounceMs ?? 250;
    this.#cacheSize = opts.cookieCacheSize ?? 10_000;
    this.#report = opts.report ?? ignoreProblems;
  }

  static async open(opts: SessionStoreOptions): Promise<SessionStore> {
    const store = new SessionStore(opts);
    await store.#load();
    return store;
  }

  create(fields: NewSession): Session {
    this.#assertOpen();
    const now = Date.now();
    const session: Session = { ...fields, id: randomBytes(32).toString('base64url'), createdAt: now, updatedAt: now };
    this.#sessions.set(session.id, session);
    this.#changed();
    return session;
  }

  get(id: string): Session | undefined {
    return this.#sessions.get(id);
  }

  /** Replaces the stored session with the patched copy; undefined when there is no such session. */
  update(id: string, patch: SessionPatch): Session | undefined {
    this.#assertOpen();
    const current = this.#sessions.get(id);
    if (!current) return undefined;
    const next: Session = { ...current, ...patch, id: current.id, createdAt: current.createdAt, updatedAt: Date.now() };
    this.#sessions.set(id, next);
    this.#changed();
    return next;
  }

  delete(id: string): boolean {
    this.#assertOpen();
    if (!this.#sessions.delete(id)) return false;
    for (const cache of this.#cookieIds.values()) {
      for (const [cookie, sessionId] of cache) if (sessionId === id) cache.delete(cookie);
    }
    this.#changed();
    return true;
  }

  list(): Session[] {
    return [...this.#sessions.values()];
  }

  /**
   * The session a sealed cookie value refers to, or undefined for a missing, tampered,
   * foreign or stale cookie. `context` must be the one the value was sealed with.
   */
  resolveCookie(cookieValue: string | undefined, sealer: CookieSealer, context = ''): Session | undefined {
    if (cookieValue === undefined || cookieValue === '') return undefined;
    let cache = this.#cookieIds.get(sealer);
    if (!cache) this.#cookieIds.set(sealer, (cache = new Map()));
    const cacheKey = `${context}\0${cookieValue}`;
    const cachedId = cache.get(cacheKey);
    if (cachedId !== undefined) {
      const session = this.#sessions.get(cachedId);
      cache.delete(cacheKey);
      if (session) cache.set(cacheKey, cachedId); // re-insert: most recently used last
      return session;
    }
    const id = sealer.open(cookieValue, context);
    const session = id === undefined ? undefined : this.#sessions.get(id);
    if (session) {
      if (cache.size >= this.#cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(cacheKey, session.id);
    }
    return session;
  }

  /** Writes every session now (atomically); resolves once this state is on disk. */
  flush(): Promise<void> {
    this.#clearTimer();
    const write = this.#writing.then(() => this.#write());
    this.#writing = write.catch(() => undefined);
    return write;
  }

  /** Saves what is pending and stops automatic saving; the store refuses changes afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return this.#writing;
    this.#closed = true;
    this.#clearTimer();
    if (this.#dirty) await this.flush();
    else await this.#writing;
  }

  async #load(): Promise<void> {
    let raw: Buffer;
    try {
      raw = await readFile(this.#file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    let persisted: unknown;
    try {
      persisted = decryptJson(this.#key, raw, LABEL);
    } catch {
      persisted = undefined;
    }
    if (!isPersistedFile(persisted)) {
      const aside = `${this.#file}.corrupt-${Date.now()}`;
      await rename(this.#file, aside);
      this.warnings.push(`the sessions file could not be read (corrupt or encrypted with another key); started with no sessions and kept the old file as ${aside}`);
      return;
    }
    let skipped = 0;
    for (const session of persisted.sessions) {
      if (isSession(session)) this.#sessions.set(session.id, session);
      else skipped++;
    }
    if (skipped > 0) this.warnings.push(`${skipped} malformed session(s) in the sessions file were dropped`);
  }

  async #write(): Promise<void> {
    this.#dirty = false;
    const body: PersistedFile = { version: 1, sessions: this.list() };
    try {
      await writeFileAtomic(this.#file, encryptJson(this.#key, body, LABEL), 0o600);
    } catch (err) {
      this.#dirty = true;
      throw err;
    }
  }

  #changed(): void {
    this.#dirty = true;
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch((err: Error) => this.#report('sessions', `could not save sessions: ${err.message}`));
    }, this.#debounceMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the session store is closed');
  }
}

function isPersistedFile(value: unknown): value is PersistedFile {
  return typeof value === 'object' && value !== null && (value as PersistedFile).version === 1 && Array.isArray((value as PersistedFile).sessions);
}

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Session;
  return (
    typeof s.id === 'string' &&
    typeof s.upstreamId === 'string' &&
    typeof s.providerId === 'string' &&
    typeof s.createdAt === 'number' &&
    typeof s.updatedAt === 'number' &&
    typeof s.identity === 'object' &&
    s.identity !== null &&
    typeof s.identity.user === 'string' &&
    typeof s.identity.email === 'string' &&
    Array.isArray(s.identity.groups) &&
    typeof s.tokens === 'object' &&
    s.tokens !== null &&
    typeof s.tokens.accessToken === 'string'
  );
}
