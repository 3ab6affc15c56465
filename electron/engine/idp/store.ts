// Storage for the built-in identity provider's stateful artifacts (oidc-provider's adapter
// interface). Everything lives in memory; grants and refresh tokens are also written to
// `<dataDir>/idp-store.json` (mode 0600) so Portcullis sessions can still refresh after a restart.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/atomic-write.ts';
import { ignoreProblems, type ReportProblem } from '../problems.ts';

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string };

interface Entry {
  payload: Payload;
  /** ms since epoch; Infinity when the artifact has no expiry. */
  expiresAt: number;
}

/** Ids of the JWT access tokens issued and not revoked (oidc-provider keeps no record of those). */
const ISSUED_ACCESS_TOKEN = 'IssuedAccessToken';

/** Artifacts that must outlive the process: without them a refresh after a restart fails, and userinfo refuses tokens still valid. */
const DURABLE_MODELS = new Set(['Grant', 'RefreshToken', ISSUED_ACCESS_TOKEN]);

/** Expired artifacts are dropped on read, and in a sweep every this many writes. */
const SWEEP_EVERY = 500;

export const STORE_FILE_NAME = 'idp-store.json';

export class IdpStore {
  readonly #entries = new Map<string, Entry>();
  readonly #file: string;
  readonly #report: ReportProblem;
  #writing: Promise<void> = Promise.resolve();
  #setsSinceSweep = 0;

  constructor(dataDir: string, report: ReportProblem = ignoreProblems) {
    this.#file = join(dataDir, STORE_FILE_NAME);
    this.#report = report;
    this.#load();
  }

  /** oidc-provider's `adapter` option: one adapter per model name, sharing this store. */
  adapterFactory(): (model: string) => ModelAdapter {
    return (model) => new ModelAdapter(this, model);
  }

  get(key: string): Payload | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: Payload, expiresInSeconds?: number): void {
    if (++this.#setsSinceSweep >= SWEEP_EVERY) this.#sweep();
    const expiresAt = typeof expiresInSeconds === 'number' ? Date.now() + expiresInSeconds * 1000 : Infinity;
    this.#entries.set(key, { payload, expiresAt });
    this.#changed(key);
  }

  /** Replaces an artifact's payload, keeping its expiry. */
  update(key: string, payload: Payload): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.payload = payload;
    this.#changed(key);
  }

  delete(key: string): void {
    if (this.#entries.delete(key)) this.#changed(key);
  }

  /**
   * Remembers a JWT access token by its id, bound to its grant (if any) so that revoking the
   * grant forgets it too: userinfo answers only tokens remembered here.
   */
  rememberAccessToken(jti: string, grantId: string | undefined, expiresInSeconds: number): void {
    this.set(`${ISSUED_ACCESS_TOKEN}:${jti}`, grantId ? { grantId } : {}, expiresInSeconds);
  }

  isAccessTokenLive(jti: string): boolean {
    return this.get(`${ISSUED_ACCESS_TOKEN}:${jti}`) !== undefined;
  }

  /** Keys of every live artifact bound to a grant. */
  keysOfGrant(grantId: string): string[] {
    const keys: string[] = [];
    for (const [key, entry] of this.#entries) {
      if (entry.payload.grantId === grantId && !key.startsWith('Grant:')) keys.push(key);
    }
    return keys;
  }

  /** Resolves when every pending write has reached the disk. */
  flush(): Promise<void> {
    return this.#writing;
  }

  #sweep(): void {
    this.#setsSinceSweep = 0;
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }

  #changed(key: string): void {
    if (!DURABLE_MODELS.has(key.slice(0, key.indexOf(':')))) return;
    // Serialize writes so an older snapshot never lands after a newer one.
    this.#writing = this.#writing.then(() => this.#save()).catch((err: unknown) => {
      this.#report('builtinIdp', `could not save the built-in identity provider's store: ${(err as Error).message}`);
    });
  }

  async #save(): Promise<void> {
    const now = Date.now();
    const durable: Record<string, Entry> = {};
    for (const [key, entry] of this.#entries) {
      if (DURABLE_MODELS.has(key.slice(0, key.indexOf(':'))) && entry.expiresAt > now) {
        // JSON has no Infinity; null stands for "no expiry".
        durable[key] = { payload: entry.payload, expiresAt: Number.isFinite(entry.expiresAt) ? entry.expiresAt : (null as unknown as number) };
      }
    }
    await writeFileAtomic(this.#file, JSON.stringify(durable), 0o600);
  }

  #load(): void {
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch {
      return;
    }
    try {
      const data = JSON.parse(text) as Record<string, Entry>;
      const now = Date.now();
      for (const [key, entry] of Object.entries(data)) {
        const expiresAt = entry.expiresAt ?? Infinity;
        if (expiresAt > now && typeof entry.payload === 'object') this.#entries.set(key, { payload: entry.payload, expiresAt });
      }
    } catch {
      // A damaged store only costs refreshes: those sessions sign in again.
      this.#report('builtinIdp', `ignored the damaged built-in identity provider store ${this.#file}: its signed-in users sign in again`);
    }
  }
}

/** The adapter oidc-provider instantiates for one model (AccessToken, Session, Grant…). */
class ModelAdapter {
  readonly #store: IdpStore;
  readonly #model: string;

  constructor(store: IdpStore, model: string) {
    this.#store = store;
    this.#model = model;
  }

  #key(id: string): string {
    return `${this.#model}:${id}`;
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    this.#store.set(this.#key(id), payload, expiresIn);
    if (this.#model === 'Session' && payload.uid) this.#store.set(`SessionUid:${payload.uid}`, { id }, expiresIn);
    if (payload.userCode) this.#store.set(`UserCode:${payload.userCode}`, { id }, expiresIn);
  }

  async find(id: string): Promise<Payload | undefined> {
    return this.#store.get(this.#key(id));
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    const ref = this.#store.get(`SessionUid:${uid}`);
    return typeof ref?.id === 'string' ? this.find(ref.id) : undefined;
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    const ref = this.#store.get(`UserCode:${userCode}`);
    return typeof ref?.id === 'string' ? this.find(ref.id) : undefined;
  }

  async consume(id: string): Promise<void> {
    const key = this.#key(id);
    const payload = this.#store.get(key);
    if (payload) this.#store.update(key, { ...payload, consumed: Math.floor(Date.now() / 1000) });
  }

  async destroy(id: string): Promise<void> {
    this.#store.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of this.#store.keysOfGrant(grantId)) this.#store.delete(key);
  }
}
