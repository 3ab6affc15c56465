// The engine: settings, secrets, the built-in identity provider, the sign-in providers, one
// listener per enabled upstream, sessions, group simulations and the request log — and the
// ControlApi that both shells and the renderer drive it through.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ApiError, type CheckResult, type ControlApi, type Decision, type EngineEvent, type EngineState, type ExplainInput, type Explanation, type ProviderInput, type RequestLogEntry, type SessionView, type UpstreamInput } from './api.ts';
import { withUpstreamDefaults } from './config/defaults.ts';
import { EncryptedFileSecretStore, type SecretStore } from './config/secrets.ts';
import { ConfigError, SettingsStore } from './config/settings-store.ts';
import type { Persona, PortcullisConfig, UpstreamConfig } from './config/types.ts';
import { warningsFor } from './config/validate.ts';
import { authRequestHeaders, upstreamIdentityHeaders } from './auth/headers.ts';
import { ReplayGuard } from './auth/replay-guard.ts';
import { compileRoutes } from './auth/routes.ts';
import { CookieSealer } from './auth/session-crypto.ts';
import { SessionStore } from './auth/session-store.ts';
import { csrfCookieName, sessionCookieName } from './auth/cookies.ts';
import { SIGN_IN_WINDOW_MS } from './auth/endpoints.ts';
import { SessionService } from './auth/sessions.ts';
import type { Session } from './identity.ts';
import type { BuiltinIdp } from './idp/builtin-idp.ts';
import { startBuiltinIdpThread } from './idp/idp-thread.ts';
import { RequestLog } from './log/request-log.ts';
import { createProvider } from './providers/provider.ts';
import { ProviderRegistry } from './providers/registry.ts';
import type { UpstreamContext } from './proxy/context.ts';
import { createForwarder } from './proxy/forward.ts';
import { bindErrorMessage, UpstreamListener } from './proxy/listener.ts';
import { probeTarget } from './proxy/target-probe.ts';
import { TargetWatch } from './proxy/target-watch.ts';
import { createWebSocketProxy } from './proxy/websocket.ts';
import { viewSession } from './session-view.ts';
import { explainRequest, type ExplainWho } from './explain.ts';

const SESSION_KEY_REF = 'session-key';
/** How often sessions are checked for an expiry the user should hear about. */
const EXPIRY_CHECK_MS = 30_000;

export interface EngineOptions {
  /** With a config file, that file is the settings and changes are written back to it. */
  configFile?: string;
  dataDir: string;
  /** The desktop passes its keychain-backed store; headless uses an encrypted file in the data dir. */
  secretStore?: SecretStore;
  /** Where one-line notices go (warnings, provider problems). */
  log?: (line: string) => void;
}

/**
 * The key that seals session cookies and the sessions file, kept in the secret store: the OS
 * keychain on the desktop, the encrypted secrets file headless.
 */
async function sessionKey(secrets: SecretStore): Promise<Buffer> {
  const stored = await secrets.get(SESSION_KEY_REF);
  const key = stored ? Buffer.from(stored, 'base64') : undefined;
  if (key?.length === 32) return key;
  const fresh = randomBytes(32);
  await secrets.set(SESSION_KEY_REF, fresh.toString('base64'));
  return fresh;
}

function sampleIdentity(persona: Persona | undefined) {
  return {
    user: persona?.username ?? 'alice',
    email: persona?.email ?? 'alice@example.test',
    groups: persona?.groups ?? ['admins', 'devs'],
    preferredUsername: persona?.username ?? 'alice',
    name: persona?.name,
  };
}

export class Engine implements ControlApi {
  private readonly listeners = new Map<string, UpstreamListener>();
  private readonly simulations = new Map<string, string[]>();
  private readonly subscribers = new Set<(e: EngineEvent) => void>();
  private builtinIdp: BuiltinIdp | undefined;
  /** Why the built-in identity provider could not start, for the builtin provider's status. */
  private builtinIdpProblem: string | undefined;
  private closed = false;
  private expiryTimer: NodeJS.Timeout | undefined;
  /** Changes to settings and listeners run one at a time, so two UIs cannot interleave a stop and a start. */
  private changes: Promise<unknown> = Promise.resolve();
  readonly log = new RequestLog(10_000);
  readonly providers: ProviderRegistry;
  readonly sessions: SessionService;
  private readonly targets = new TargetWatch(
    () => new Map(this.config.upstreams.map((u) => [u.id, u.target])),
    () => this.emitState(),
  );

  private constructor(
    private readonly settings: SettingsStore,
    private readonly secrets: SecretStore,
    private readonly sealer: CookieSealer,
    sessionStore: SessionStore,
    private readonly notice: (line: string) => void,
  ) {
    this.providers = new ProviderRegistry(secrets, () => this.builtinIdp, () => this.emitState(), () => this.builtinIdpProblem);
    this.sessions = new SessionService(sessionStore, sealer, (id) => this.providers.get(id), {
      started: (s) => void this.emitSession('session-started', s),
      updated: () => this.emitState(),
      ended: (sessionId) => {
        this.emit({ type: 'session-ended', sessionId });
        this.emitState();
      },
    });
    this.log.onEntry((entry) => {
      if (this.subscribers.size > 0) this.emit({ type: 'request', entry });
    });
  }

  static async start(opts: EngineOptions): Promise<Engine> {
    const notice = opts.log ?? ((line: string) => console.error(line));
    const settings = await SettingsStore.open({ configFile: opts.configFile, dataDir: opts.dataDir });
    const secrets = opts.secretStore ?? new EncryptedFileSecretStore(opts.dataDir);
    const key = await sessionKey(secrets);
    const sessionStore = await SessionStore.open({ file: join(opts.dataDir, 'sessions.enc'), key });
    for (const warning of sessionStore.warnings ?? []) notice(warning);
    const engine = new Engine(settings, secrets, new CookieSealer(key), sessionStore, notice);
    await engine.boot();
    return engine;
  }

  get config(): PortcullisConfig {
    return this.settings.get();
  }

  private async boot(): Promise<void> {
    const config = this.config;
    for (const warning of warningsFor(config)) this.notice(`warning: ${warning}`);
    await this.startBuiltinIdp(config);
    await this.providers.configure(config.providers);
    await this.sessions.pruneExpired();
    for (const upstream of config.upstreams) if (upstream.enabled) await this.startListener(upstream);
    this.expiryTimer = setInterval(() => this.announceExpiring(), EXPIRY_CHECK_MS);
    this.expiryTimer.unref();
  }

  private async startBuiltinIdp(config: PortcullisConfig): Promise<void> {
    if (!config.providers.some((p) => p.type === 'builtin')) return;
    try {
      this.builtinIdp = await startBuiltinIdpThread({ host: '127.0.0.1', port: config.builtinIdp.port, users: config.builtinIdp.users, dataDir: this.dataDir });
      this.builtinIdpProblem = undefined;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const message = e.code ? bindErrorMessage(e, '127.0.0.1', config.builtinIdp.port) : e.message;
      this.builtinIdpProblem = message;
      this.notice(`error: the built-in identity provider could not start: ${message}`);
      this.emit({ type: 'error', scope: 'builtinIdp', message });
    }
  }

  private get dataDir(): string {
    return this.settings.dataDir;
  }

  /** The URL printed for an upstream and opened by "Open in browser". */
  listenerUrl(upstream: UpstreamConfig): string {
    const port = this.listeners.get(upstream.id)?.status().port ?? upstream.listen.port;
    const host = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(upstream.listen.host) ? 'localhost' : upstream.listen.host;
    return `http://${host}:${port}`;
  }

  private makeContext(upstream: UpstreamConfig, port: number): UpstreamContext {
    return {
      upstream,
      port,
      cookieName: sessionCookieName(port),
      csrfCookieName: csrfCookieName(port),
      skipAuth: compileRoutes(upstream.skipAuthRoutes),
      apiRoutes: compileRoutes(upstream.apiRoutes),
      provider: this.providers.handle(upstream.provider),
      sessions: this.sessions,
      sealer: this.sealer,
      log: this.log,
      forwarder: createForwarder(upstream.target),
      webSockets: createWebSocketProxy(upstream.target),
      usedStates: new ReplayGuard(SIGN_IN_WINDOW_MS),
      simulatedGroups: () => this.simulations.get(upstream.id),
    };
  }

  private async startListener(upstream: UpstreamConfig): Promise<void> {
    await this.listeners.get(upstream.id)?.stop();
    const listener = new UpstreamListener(upstream.listen.host, upstream.listen.port, (port) => this.makeContext(upstream, port));
    this.listeners.set(upstream.id, listener);
    const status = await listener.start();
    if (status.state === 'error') {
      this.notice(`error: upstream ${upstream.id}: ${status.error}`);
      this.emit({ type: 'error', scope: `upstream:${upstream.id}`, message: status.error ?? 'failed to start' });
    }
    this.emitState();
  }

  private async stopListener(id: string): Promise<void> {
    const listener = this.listeners.get(id);
    if (!listener) return;
    await listener.stop();
    this.emitState();
  }

  /** Lines `serve` prints once everything listens. */
  readyLines(): string[] {
    return this.config.upstreams
      .filter((u) => this.listeners.get(u.id)?.status().state === 'running')
      .map((u) => `upstream ${u.id}  ${this.listenerUrl(u)} -> ${u.target}  (provider ${u.provider})`);
  }

  // ---- events ----

  /** Tells the UIs (the desktop notifies) about sessions that will soon end for want of a refresh token. */
  private announceExpiring(): void {
    for (const session of this.sessions.takeExpiring()) {
      this.emit({ type: 'session-expiring', sessionId: session.id, expiresAt: session.tokens.expiresAt! });
    }
  }

  private emit(event: EngineEvent): void {
    for (const fn of this.subscribers) {
      try {
        fn(event);
      } catch {
        // A broken subscriber (a closed UI) must not break the engine or the other UIs.
      }
    }
  }

  private stateTimer: NodeJS.Timeout | undefined;

  /** State changes come in bursts (a restart touches every listener): send one state event per burst. */
  private emitState(): void {
    if (this.subscribers.size === 0 || this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      void this.getState().then((state) => this.emit({ type: 'state', state }));
    }, 20);
  }

  private async emitSession(type: 'session-started', session: Session): Promise<void> {
    this.emit({ type, session: await viewSession(session, this.providers.get(session.providerId)) });
    this.emitState();
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.subscribers.add(listener);
    this.targets.start();
    return () => {
      this.subscribers.delete(listener);
      if (this.subscribers.size === 0) this.targets.stop();
    };
  }

  // ---- state ----

  async getState(): Promise<EngineState> {
    const config = this.config;
    const upstreams = config.upstreams.map((u) => {
      const status = this.listeners.get(u.id)?.status() ?? { state: 'stopped' as const };
      const simulation = this.simulations.get(u.id);
      const reachable = this.targets.get(u.id);
      return {
        ...u,
        status: {
          id: u.id,
          state: status.state,
          ...(status.error ? { error: status.error } : {}),
          url: this.listenerUrl(u),
          ...(reachable !== undefined ? { targetReachable: reachable } : {}),
          requestCount: this.log.count(u.id),
          ...(simulation ? { simulation: { groups: simulation } } : {}),
        },
      };
    });
    const providers = config.providers.map((p) => {
      const s = this.providers.status(p.id);
      const redirectUrls = config.upstreams.filter((u) => u.provider === p.id).map((u) => `${this.listenerUrl(u)}/oauth2/callback`);
      return { ...p, status: { id: p.id, type: p.type, ready: s.ready, ...(s.error ? { error: s.error } : {}), redirectUrls } };
    });
    return {
      upstreams,
      providers,
      personas: config.builtinIdp.users,
      sessions: await this.listSessions(),
      settingsPath: this.settings.path,
      ...(this.secrets.warning ? { secretStorageWarning: this.secrets.warning } : {}),
    };
  }

  async listSessions(): Promise<SessionView[]> {
    return Promise.all(this.sessions.list().map((s) => viewSession(s, this.providers.get(s.providerId))));
  }

  // ---- settings changes ----

  private exclusive<T>(change: () => Promise<T>): Promise<T> {
    const run = this.changes.then(change, change);
    this.changes = run.catch(() => undefined);
    return run;
  }

  private async changeSettings(mutate: (draft: PortcullisConfig) => void): Promise<PortcullisConfig> {
    try {
      return await this.settings.update((draft) => {
        mutate(draft);
      });
    } catch (err) {
      if (err instanceof ConfigError) {
        const first = err.problems[0];
        throw new ApiError(400, 'invalid_config', err.problems.map((p) => `${p.path}: ${p.message}`).join('; '), first?.path);
      }
      throw err;
    }
  }

  private requireUpstream(id: string): UpstreamConfig {
    const upstream = this.config.upstreams.find((u) => u.id === id);
    if (!upstream) throw new ApiError(404, 'not_found', `no upstream with id "${id}"`, '$.id');
    return upstream;
  }

  addUpstream(input: UpstreamInput): Promise<EngineState> {
    return this.exclusive(async () => {
      if (this.config.upstreams.some((u) => u.id === input.id)) throw new ApiError(409, 'duplicate_id', `an upstream with id "${input.id}" already exists`, '$.id');
      const upstream = withUpstreamDefaults(input);
      const config = await this.changeSettings((draft) => {
        draft.upstreams.push(upstream);
      });
      const saved = config.upstreams.find((u) => u.id === upstream.id);
      if (saved?.enabled) await this.startListener(saved);
      this.emitState();
      return this.getState();
    });
  }

  updateUpstream(id: string, input: UpstreamInput): Promise<EngineState> {
    return this.exclusive(async () => {
      const previous = this.requireUpstream(id);
      if (input.id !== id) throw new ApiError(400, 'id_mismatch', `the body's id "${input.id}" differs from the URL's "${id}"; ids cannot be renamed`, '$.id');
      const next = withUpstreamDefaults({ ...previous, ...input });
      const config = await this.changeSettings((draft) => {
        draft.upstreams = draft.upstreams.map((u) => (u.id === id ? next : u));
      });
      const saved = config.upstreams.find((u) => u.id === id)!;
      await this.stopListener(id);
      if (saved.enabled) await this.startListener(saved);
      if (saved.provider !== previous.provider) await this.sessions.endAllFor(id);
      this.emitState();
      return this.getState();
    });
  }

  removeUpstream(id: string): Promise<EngineState> {
    return this.exclusive(async () => {
      this.requireUpstream(id);
      await this.changeSettings((draft) => {
        draft.upstreams = draft.upstreams.filter((u) => u.id !== id);
      });
      await this.stopListener(id);
      this.listeners.delete(id);
      this.simulations.delete(id);
      await this.sessions.endAllFor(id);
      this.emitState();
      return this.getState();
    });
  }

  startUpstream(id: string): Promise<EngineState> {
    return this.exclusive(async () => {
      const upstream = this.requireUpstream(id);
      if (this.listeners.get(id)?.status().state !== 'running') await this.startListener(upstream);
      return this.getState();
    });
  }

  stopUpstream(id: string): Promise<EngineState> {
    return this.exclusive(async () => {
      this.requireUpstream(id);
      await this.stopListener(id);
      return this.getState();
    });
  }

  startAll(): Promise<EngineState> {
    return this.exclusive(async () => {
      for (const u of this.config.upstreams) if (u.enabled && this.listeners.get(u.id)?.status().state !== 'running') await this.startListener(u);
      return this.getState();
    });
  }

  stopAll(): Promise<EngineState> {
    return this.exclusive(async () => {
      await Promise.all([...this.listeners.keys()].map((id) => this.stopListener(id)));
      return this.getState();
    });
  }

  saveProvider(input: ProviderInput & { clientSecretValue?: string }): Promise<EngineState> {
    return this.exclusive(async () => {
      const { clientSecretValue, ...provider } = input;
      let undoSecret = async () => {};
      if (clientSecretValue !== undefined) {
        if (provider.type === 'builtin') throw new ApiError(400, 'invalid_field', 'the built-in provider has no client secret', '$.clientSecretValue');
        const name = `provider:${provider.id}:clientSecret`;
        // The stores hand back the name as the reference, so this reads what `set` replaces.
        const previous = await this.secrets.get(name);
        const ref = await this.secrets.set(name, clientSecretValue);
        provider.clientSecret = ref;
        undoSecret = async () => {
          if (previous === undefined) await this.secrets.delete(ref.secretRef);
          else await this.secrets.set(name, previous);
        };
      }
      let config: PortcullisConfig;
      try {
        config = await this.changeSettings((draft) => {
          const index = draft.providers.findIndex((p) => p.id === provider.id);
          if (index >= 0) draft.providers[index] = provider;
          else draft.providers.push(provider);
        });
      } catch (err) {
        // A rejected body changes nothing (docs/control-api.md): the old secret goes back.
        await undoSecret();
        throw err;
      }
      if (provider.type === 'builtin' && !this.builtinIdp) await this.startBuiltinIdp(config);
      await this.providers.configure(config.providers);
      this.emitState();
      return this.getState();
    });
  }

  removeProvider(id: string): Promise<EngineState> {
    return this.exclusive(async () => {
      const users = this.config.upstreams.filter((u) => u.provider === id).map((u) => u.id);
      if (users.length) throw new ApiError(409, 'in_use', `provider "${id}" is used by upstream ${users.join(', ')}`, '$.id');
      const name = `provider:${id}:clientSecret`;
      const pointsAtIt = (p: PortcullisConfig['providers'][number]) =>
        'clientSecret' in p && typeof p.clientSecret === 'object' && 'secretRef' in p.clientSecret && p.clientSecret.secretRef === name;
      const config = await this.changeSettings((draft) => {
        draft.providers = draft.providers.filter((p) => p.id !== id);
      });
      // The secret saveProvider stored for this id goes too, unless a hand-written config shares it.
      if (!config.providers.some(pointsAtIt)) await this.secrets.delete(name);
      await this.providers.configure(config.providers);
      this.emitState();
      return this.getState();
    });
  }

  savePersonas(users: Persona[]): Promise<EngineState> {
    return this.exclusive(async () => {
      const config = await this.changeSettings((draft) => {
        draft.builtinIdp.users = users;
      });
      this.builtinIdp?.setUsers(config.builtinIdp.users);
      this.emitState();
      return this.getState();
    });
  }

  // ---- sign-in and sessions ----

  async signInUrl(upstreamId: string, persona?: string): Promise<string> {
    const upstream = this.requireUpstream(upstreamId);
    const query = persona ? `?login_hint=${encodeURIComponent(persona)}` : '';
    return `${this.listenerUrl(upstream)}/oauth2/start${query}`;
  }

  async refreshSession(id: string): Promise<SessionView> {
    try {
      const session = await this.sessions.refreshNow(id);
      return viewSession(session, this.providers.get(session.providerId));
    } catch (err) {
      if (!this.sessions.get(id)) throw new ApiError(404, 'not_found', `no session with id "${id}"`);
      throw new ApiError(409, 'refresh_failed', (err as Error).message);
    }
  }

  async signOutSession(id: string): Promise<void> {
    if (!(await this.sessions.end(id, { revoke: true }))) throw new ApiError(404, 'not_found', `no session with id "${id}"`);
  }

  // ---- simulation ----

  async setSimulation(upstreamId: string, groups: string[]): Promise<EngineState> {
    this.requireUpstream(upstreamId);
    this.simulations.set(upstreamId, [...new Set(groups)]);
    this.emitState();
    return this.getState();
  }

  async endSimulation(upstreamId: string): Promise<EngineState> {
    this.requireUpstream(upstreamId);
    this.simulations.delete(upstreamId);
    this.emitState();
    return this.getState();
  }

  async listRequests(filter?: { upstream?: string; decision?: Decision; limit?: number }): Promise<RequestLogEntry[]> {
    return this.log.list(filter);
  }

  // ---- form helpers ----

  async checkPort(host: string, port: number, upstreamId?: string): Promise<CheckResult> {
    const own = upstreamId ? this.listeners.get(upstreamId)?.status() : undefined;
    if (own?.state === 'running' && own.port === port) return { ok: true, message: `port ${port} is this upstream's own listener` };
    const taken = this.config.upstreams.find((u) => u.id !== upstreamId && u.listen.port === port);
    if (taken) return { ok: false, message: `port ${port} is already used by upstream ${taken.id}` };
    return new Promise((resolve) => {
      const probe = createServer();
      probe.once('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, message: bindErrorMessage(err, host, port) }));
      probe.listen(port, host, () => probe.close(() => resolve({ ok: true, message: `port ${port} is free` })));
    });
  }

  async checkTarget(target: string): Promise<CheckResult> {
    const probe = await probeTarget(target);
    return { ok: probe.reachable, message: probe.message };
  }

  async checkIssuer(issuer: string): Promise<CheckResult> {
    try {
      await createProvider({ id: 'check', type: 'oidc', issuer, clientId: 'check' }, {}).ensureReady();
      return { ok: true, message: `${issuer} is an OpenID Connect issuer` };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  }

  async testRoute(upstreamId: string, method: string, path: string): Promise<{ public: boolean; api: boolean; rule?: string }> {
    const upstream = this.requireUpstream(upstreamId);
    const skip = compileRoutes(upstream.skipAuthRoutes).match(method, path);
    const api = compileRoutes(upstream.apiRoutes).match(method, path);
    const rule = skip ? `skipAuthRoutes[${skip.index}] ${skip.rule}` : api ? `apiRoutes[${api.index}] ${api.rule}` : undefined;
    return { public: skip !== undefined, api: api !== undefined, ...(rule ? { rule } : {}) };
  }

  async previewHeaders(upstreamId: string, sessionId?: string): Promise<Record<string, string>> {
    const upstream = this.requireUpstream(upstreamId);
    const session = sessionId ? this.sessions.get(sessionId) : this.sessions.list().find((s) => s.upstreamId === upstreamId);
    const identity = session?.identity ?? sampleIdentity(this.config.builtinIdp.users[0]);
    const simulated = this.simulations.get(upstreamId);
    const effective = simulated ? { ...identity, groups: simulated } : identity;
    const tokens = session?.tokens ?? { accessToken: '<access token>', idToken: '<id token>' };
    return {
      ...upstreamIdentityHeaders(effective, tokens, upstream),
      ...(upstream.setXAuthRequest ? authRequestHeaders(effective, tokens, upstream) : {}),
    };
  }

  async explainRequest(input: ExplainInput): Promise<Explanation> {
    const upstream = this.requireUpstream(input.upstream);
    return explainRequest(upstream, input, {
      ...this.explainedIdentity(upstream.id, input.persona),
      simulatedGroups: this.simulations.get(upstream.id),
      providerProblem: this.providers.handle(upstream.provider).problem(),
    });
  }

  /** `persona` is a built-in persona's username or `session:<id>` of a session on this upstream. */
  private explainedIdentity(upstreamId: string, persona: string | undefined): Pick<ExplainWho, 'identity' | 'tokens'> {
    if (persona === undefined) return {};
    if (persona.startsWith('session:')) {
      const session = this.sessions.get(persona.slice('session:'.length));
      if (!session || session.upstreamId !== upstreamId) throw new ApiError(404, 'not_found', `no session "${persona.slice(8)}" on upstream ${upstreamId}`, '$.persona');
      return { identity: session.identity, tokens: session.tokens };
    }
    const known = this.config.builtinIdp.users.find((u) => u.username === persona);
    if (!known) throw new ApiError(404, 'not_found', `no persona "${persona}"; use a built-in persona's username or "session:<id>"`, '$.persona');
    return { identity: sampleIdentity(known) };
  }

  // ---- shutdown ----

  /** Stops accepting, drains the listeners, persists sessions, stops the built-in provider. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.changes;
    clearTimeout(this.stateTimer);
    clearInterval(this.expiryTimer);
    this.targets.stop();
    await Promise.all([...this.listeners.values()].map((l) => l.stop()));
    this.providers.close();
    await this.sessions.close();
    await this.builtinIdp?.close();
    this.subscribers.clear();
  }
}
