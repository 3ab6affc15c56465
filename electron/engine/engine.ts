// The engine: the ControlApi both shells and the renderer drive. A thin facade over the parts
// it builds and wires together (docs/architecture.md): the settings service, the provider
// registry, the session service, the listener set, the event hub, the state projection and
// the diagnostics. Each control call checks its input, asks the parts, and answers the state.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ApiError, type CheckResult, type ControlApi, type Decision, type EngineEvent, type EngineState, type ExplainInput, type Explanation, type IdentitySimulation, type IdpFaults, type ImportPreview, type MintedToken, type MintTokenInput, type ProductionExport, type ProviderInput, type RouteTest, type RequestLogEntry, type SessionView, type UpstreamInput } from './api.ts';
import { CookieSealer } from './auth/session-crypto.ts';
import { normalizeSimulation } from './auth/simulation.ts';
import { SessionStore } from './auth/session-store.ts';
import { SessionService } from './auth/sessions.ts';
import { SessionTimeline } from './auth/session-timeline.ts';
import { withUpstreamDefaults } from './config/defaults.ts';
import { EncryptedFileSecretStore, type SecretStore } from './config/secrets.ts';
import { ensurePrivateDir } from './config/private-dir.ts';
import { SettingsStore } from './config/settings-store.ts';
import type { Persona, PortcullisConfig, UpstreamConfig } from './config/types.ts';
import type { Session } from './identity.ts';
import { warningsFor } from './config/validate.ts';
import { ConfigError } from './config/errors.ts';
import { exportNotes, exportUpstream, type ExportFormat } from './config/export.ts';
import { importConfig, type ImportFormat } from './config/import.ts';
import * as diagnostics from './diagnostics.ts';
import { EventHub } from './event-hub.ts';
import { FaultLab } from './fault-lab.ts';
import { explainRequest, type ExplainWho } from './explain.ts';
import type { BuiltinIdp } from './idp/builtin-idp.ts';
import { startBuiltinIdpThread, type IdpThread } from './idp/idp-thread.ts';
import type { IdpSettings } from './idp/settings.ts';
import { idpSettingsFromConfig } from './idp/settings-from-config.ts';
import { RequestLog } from './log/request-log.ts';
import { ListenerSet } from './listener-set.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { TargetWatch } from './proxy/target-watch.ts';
import type { ReportProblem } from './problems.ts';
import { viewSession } from './session-view.ts';
import { SettingsService } from './settings-service.ts';
import { listenerUrl, projectState } from './state-view.ts';
import { mintToken } from './token-mint.ts';

const SESSION_KEY_REF = 'session-key';

/** Every origin a front proxy serves some upstream on; the built-in provider accepts callbacks there. */
const frontOrigins = (config: PortcullisConfig): string[] => config.upstreams.flatMap((u) => u.redirectOrigins);

export interface EngineOptions {
  /** With a config file, that file is the settings and changes are written back to it. */
  configFile?: string;
  dataDir: string;
  /** The desktop passes its keychain-backed store; headless uses an encrypted file in the data dir. */
  secretStore?: SecretStore;
  /** Where one-line notices go (warnings, provider problems). */
  log?: (line: string) => void;
  /** A built-in provider thread spawned ahead (spawnIdpThread) so it loads while the settings are read. */
  idpThread?: IdpThread;
}

/** The key that seals session cookies and the sessions file, kept in the secret store (the OS keychain on the desktop). */
async function sessionKey(secrets: SecretStore): Promise<Buffer> {
  const stored = await secrets.get(SESSION_KEY_REF);
  const key = stored ? Buffer.from(stored, 'base64') : undefined;
  if (key?.length === 32) return key;
  const fresh = randomBytes(32);
  await secrets.set(SESSION_KEY_REF, fresh.toString('base64'));
  return fresh;
}

export class Engine implements ControlApi {
  private readonly simulations = new Map<string, IdentitySimulation>();
  private builtinIdp: BuiltinIdp | undefined;
  /** Why the built-in identity provider could not start, for the builtin provider's status. */
  private builtinIdpProblem: string | undefined;
  /** The thread spawned ahead by the shell, until the built-in provider starts in it or it is discarded. */
  private idpThread: IdpThread | undefined;
  private closed = false;
  readonly log = new RequestLog(10_000);
  readonly providers: ProviderRegistry;
  readonly sessions: SessionService;
  private readonly listeners: ListenerSet;
  private readonly events: EventHub;
  private readonly timeline: SessionTimeline;
  private readonly faultLab: FaultLab;
  private readonly targets = new TargetWatch(
    // The upstream's own target under its id, each `paths` target under `<id> <path>`.
    () => new Map(this.config.upstreams.flatMap((u) => [[u.id, u.target], ...(u.paths ?? []).map((p): [string, string] => [`${u.id} ${p.path}`, p.target])])),
    () => this.events.stateChanged(),
  );

  private constructor(
    private readonly settings: SettingsService,
    sealer: CookieSealer,
    sessionStore: SessionStore,
    private readonly notice: (line: string) => void,
  ) {
    this.events = new EventHub({ state: () => this.getState(), watching: (on) => (on ? this.targets.start() : this.targets.stop()) });
    const changed = () => this.events.stateChanged();
    this.providers = new ProviderRegistry(settings.secrets, () => this.builtinIdp, changed, () => this.builtinIdpProblem);
    this.timeline = new SessionTimeline((sessionId, event) => this.events.emit({ type: 'session-timeline', sessionId, event }));
    this.sessions = new SessionService(sessionStore, sealer, (id) => this.providers.get(id), {
      started: (s) => {
        this.timeline.record(s.id, 'signed-in', `signed in as ${s.identity.email || s.identity.user}`);
        void this.viewSession(s).then((session) => {
          this.events.emit({ type: 'session-started', session });
          changed();
        });
      },
      updated: changed,
      refreshed: (s) => this.timeline.record(s.id, 'refreshed', 'new tokens from the provider'),
      ended: (sessionId, reason) => {
        this.timeline.record(sessionId, 'ended', reason);
        this.events.emit({ type: 'session-ended', sessionId });
        changed();
      },
      refreshFailed: (s, message) => {
        this.timeline.record(s.id, 'refresh-failed', message);
        this.reportProblem(`session:${s.upstreamId}`, `could not refresh the session of ${s.identity.email || s.identity.user} on ${s.upstreamId}: ${message}`);
      },
    });
    this.faultLab = new FaultLab({
      sessions: this.sessions,
      timeline: this.timeline,
      provider: (id) => this.providers.get(id),
      builtinIdp: () => this.builtinIdp,
      upstream: (id) => this.config.upstreams.find((u) => u.id === id),
      listenerPort: (id) => this.listeners.status(id)?.port,
      faultsChanged: () => this.providers.forgetReachability(),
    });
    this.listeners = new ListenerSet(
      { sessions: this.sessions, sealer, log: this.log, provider: (id) => this.providers.handle(id), simulation: (id) => this.simulations.get(id) },
      { changed, failed: (id, message) => this.reportProblem(`upstream:${id}`, message, `upstream ${id}: ${message}`) },
    );
    this.log.onEntry((entry) => {
      if (this.events.listening) this.events.emit({ type: 'request', entry });
    });
  }

  static async start(opts: EngineOptions): Promise<Engine> {
    const notice = opts.log ?? ((line: string) => console.error(line));
    const dataDirWarning = await ensurePrivateDir(opts.dataDir);
    if (dataDirWarning) notice(`warning: ${dataDirWarning}`);
    const store = await SettingsStore.open({ configFile: opts.configFile, dataDir: opts.dataDir });
    const secrets = opts.secretStore ?? new EncryptedFileSecretStore(opts.dataDir);
    const key = await sessionKey(secrets);
    // The store outlives this function; its failures go through the engine once it exists.
    let engine: Engine | undefined = undefined;
    const report: ReportProblem = (scope, message) => (engine ? engine.reportProblem(scope, message) : notice(`error: ${message}`));
    const sessionStore = await SessionStore.open({ file: join(opts.dataDir, 'sessions.enc'), key, report });
    for (const warning of sessionStore.warnings ?? []) notice(warning);
    engine = new Engine(new SettingsService(store, secrets), new CookieSealer(key), sessionStore, notice);
    engine.idpThread = opts.idpThread;
    await engine.boot();
    return engine;
  }

  get config(): PortcullisConfig {
    return this.settings.config;
  }

  private async boot(): Promise<void> {
    const config = this.config;
    for (const warning of warningsFor(config)) this.notice(`warning: ${warning}`);
    await this.startBuiltinIdp(config);
    await this.discardIdpThread();
    await this.providers.configure(config.providers);
    await this.sessions.pruneExpired();
    for (const upstream of config.upstreams) if (upstream.enabled) await this.listeners.start(upstream);
    this.events.watchExpiry(() => this.sessions.takeExpiring());
  }

  /**
   * The one logger for failures that change what the user sees: one line to the log, and an
   * `error` event the console and the desktop (notification, tray) show. `line` adds context
   * the event's scope already carries.
   */
  reportProblem(scope: string, message: string, line = message): void {
    this.notice(`error: ${line}`);
    this.events.emit({ type: 'error', scope, message });
  }

  private async startBuiltinIdp(config: PortcullisConfig): Promise<void> {
    if (!config.providers.some((p) => p.type === 'builtin')) return;
    const thread = this.idpThread;
    this.idpThread = undefined;
    try {
      this.builtinIdp = await startBuiltinIdpThread(
        {
          host: '127.0.0.1',
          port: config.builtinIdp.port,
          dataDir: this.settings.dataDir,
          frontOrigins: frontOrigins(config),
          report: (scope, message) => this.reportProblem(scope, message),
          ...(await this.idpSettings(config)),
        },
        thread,
      );
      this.builtinIdpProblem = undefined;
    } catch (err) {
      this.builtinIdpProblem = (err as Error).message;
      this.reportProblem('builtinIdp', this.builtinIdpProblem, `the built-in identity provider could not start: ${this.builtinIdpProblem}`);
    }
  }

  /** The built-in provider's settings with secrets resolved; a service client whose secret cannot be read is left out, with a warning. */
  private async idpSettings(config: PortcullisConfig): Promise<IdpSettings> {
    const { settings, problems } = await idpSettingsFromConfig(config.builtinIdp, this.settings.secrets);
    for (const problem of problems) this.notice(`warning: ${problem}`);
    return settings;
  }

  private async discardIdpThread(): Promise<void> {
    const thread = this.idpThread;
    this.idpThread = undefined;
    await thread?.discard();
  }

  /** The URL printed for an upstream and opened by "Open in browser". */
  listenerUrl(upstream: UpstreamConfig): string {
    return this.listeners.url(upstream);
  }

  /** Lines `serve` prints once everything listens. */
  readyLines(): string[] {
    return this.listeners.readyLines(this.config.upstreams);
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  async getState(): Promise<EngineState> {
    return projectState({
      config: this.config,
      listener: (id) => this.listeners.status(id),
      providerStatus: (id) => this.providers.status(id),
      targetReachable: (id, path) => this.targets.get(path === undefined ? id : `${id} ${path}`),
      requestCount: (id) => this.log.count(id),
      targetRequestCount: (id, target) => this.log.countForTarget(id, target),
      simulation: (id) => this.simulations.get(id),
      sessions: await this.listSessions(),
      idpFaults: this.faultLab.faults,
      settingsPath: this.settings.path,
      secretStorageWarning: this.settings.secrets.warning,
    });
  }

  async listSessions(): Promise<SessionView[]> {
    return Promise.all(this.sessions.list().map((s) => this.viewSession(s)));
  }

  private viewSession(session: Session): Promise<SessionView> {
    return viewSession(session, this.providers.get(session.providerId), this.timeline.of(session.id));
  }

  // ---- settings changes: one at a time, each answered with the new state ----

  /** Runs a change in the queue, then announces and answers the state. */
  private change(run: () => Promise<unknown>): Promise<EngineState> {
    return this.settings.exclusive(async () => {
      await run();
      await this.builtinIdp?.setFrontOrigins(frontOrigins(this.config));
      this.events.stateChanged();
      return this.getState();
    });
  }

  addUpstream(input: UpstreamInput): Promise<EngineState> {
    return this.change(async () => {
      if (this.config.upstreams.some((u) => u.id === input.id)) throw new ApiError(409, 'duplicate_id', `an upstream with id "${input.id}" already exists`, '$.id');
      const upstream = withUpstreamDefaults(input);
      const config = await this.settings.change((draft) => void draft.upstreams.push(upstream));
      const saved = config.upstreams.find((u) => u.id === upstream.id);
      if (saved?.enabled) await this.listeners.start(saved);
    });
  }

  updateUpstream(id: string, input: UpstreamInput): Promise<EngineState> {
    return this.change(async () => {
      const previous = this.settings.requireUpstream(id);
      if (input.id !== id) throw new ApiError(400, 'id_mismatch', `the body's id "${input.id}" differs from the URL's "${id}"; ids cannot be renamed`, '$.id');
      const next = withUpstreamDefaults({ ...previous, ...input });
      const config = await this.settings.change((draft) => {
        draft.upstreams = draft.upstreams.map((u) => (u.id === id ? next : u));
      });
      const saved = config.upstreams.find((u) => u.id === id)!;
      await this.listeners.stop(id);
      if (saved.enabled) await this.listeners.start(saved);
      if (saved.provider !== previous.provider) await this.sessions.endAllFor(id);
    });
  }

  removeUpstream(id: string): Promise<EngineState> {
    return this.change(async () => {
      this.settings.requireUpstream(id);
      await this.settings.change((draft) => {
        draft.upstreams = draft.upstreams.filter((u) => u.id !== id);
      });
      await this.listeners.remove(id);
      this.simulations.delete(id);
      await this.sessions.endAllFor(id);
    });
  }

  startUpstream(id: string): Promise<EngineState> {
    return this.change(async () => {
      const upstream = this.settings.requireUpstream(id);
      if (!this.listeners.isRunning(id)) await this.listeners.start(upstream);
    });
  }

  stopUpstream(id: string): Promise<EngineState> {
    return this.change(async () => {
      this.settings.requireUpstream(id);
      await this.listeners.stop(id);
    });
  }

  startAll(): Promise<EngineState> {
    return this.change(async () => {
      for (const u of this.config.upstreams) if (u.enabled && !this.listeners.isRunning(u.id)) await this.listeners.start(u);
    });
  }

  stopAll(): Promise<EngineState> {
    return this.change(() => this.listeners.stopAll());
  }

  saveProvider(input: ProviderInput & { clientSecretValue?: string }): Promise<EngineState> {
    return this.change(async () => {
      const { clientSecretValue, ...provider } = input;
      const config = await this.settings.saveProvider(provider, clientSecretValue);
      if (provider.type === 'builtin' && !this.builtinIdp) await this.startBuiltinIdp(config);
      await this.providers.configure(config.providers);
    });
  }

  removeProvider(id: string): Promise<EngineState> {
    return this.change(async () => {
      const config = await this.settings.removeProvider(id);
      await this.providers.configure(config.providers);
    });
  }

  savePersonas(users: Persona[]): Promise<EngineState> {
    return this.change(async () => {
      const config = await this.settings.change((draft) => {
        draft.builtinIdp.users = users;
      });
      if (this.builtinIdp) await this.builtinIdp.update(await this.idpSettings(config));
    });
  }

  // ---- moving between Portcullis and production (docs/configuration.md, "Import and export") ----

  async previewImport(text: string, format?: ImportFormat): Promise<ImportPreview> {
    try {
      return importConfig(text, '', format);
    } catch (err) {
      if (err instanceof ConfigError) {
        const first = err.problems[0];
        throw new ApiError(400, 'unreadable_import', `${err.message}: ${err.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, first?.path.startsWith('$') ? first.path : undefined);
      }
      throw err;
    }
  }

  async exportUpstream(upstreamId: string, format: ExportFormat): Promise<ProductionExport> {
    this.settings.requireUpstream(upstreamId);
    return { format, text: exportUpstream(this.config, upstreamId, format), notes: exportNotes(this.config, upstreamId, format) };
  }

  // ---- sign-in, sessions, simulation, the request log ----

  async signInUrl(upstreamId: string, persona?: string): Promise<string> {
    const upstream = this.settings.requireUpstream(upstreamId);
    const query = persona ? `?login_hint=${encodeURIComponent(persona)}` : '';
    return `${this.listenerUrl(upstream)}/oauth2/start${query}`;
  }

  async refreshSession(id: string): Promise<SessionView> {
    try {
      const session = await this.sessions.refreshNow(id);
      return this.viewSession(session);
    } catch (err) {
      if (!this.sessions.get(id)) throw new ApiError(404, 'not_found', `no session with id "${id}"`);
      throw new ApiError(409, 'refresh_failed', (err as Error).message);
    }
  }

  async signOutSession(id: string): Promise<void> {
    if (!(await this.sessions.end(id, { revoke: true }))) throw new ApiError(404, 'not_found', `no session with id "${id}"`);
  }

  // ---- the fault lab (fault-lab.ts) ----

  async expireSession(id: string, what: 'access' | 'session'): Promise<SessionView | undefined> {
    const session = await this.faultLab.expire(id, what);
    return session && this.viewSession(session);
  }

  async switchPersona(id: string, persona: string): Promise<SessionView> {
    return this.viewSession(await this.faultLab.switchPersona(id, persona));
  }

  setIdpFaults(faults: Partial<IdpFaults>): Promise<EngineState> {
    return this.announce(() => this.faultLab.setFaults(faults));
  }

  clearIdpFaults(): Promise<EngineState> {
    return this.announce(() => this.faultLab.clearFaults());
  }

  /** Runs a change that is not a settings change, then announces and answers the state. */
  private async announce(run: () => Promise<void>): Promise<EngineState> {
    await run();
    this.events.stateChanged();
    return this.getState();
  }

  async setSimulation(upstreamId: string, simulation: IdentitySimulation): Promise<EngineState> {
    this.settings.requireUpstream(upstreamId);
    this.simulations.set(upstreamId, normalizeSimulation(simulation));
    this.events.stateChanged();
    return this.getState();
  }

  async endSimulation(upstreamId: string): Promise<EngineState> {
    this.settings.requireUpstream(upstreamId);
    this.simulations.delete(upstreamId);
    this.events.stateChanged();
    return this.getState();
  }

  mintToken(input: MintTokenInput): Promise<MintedToken> {
    return mintToken(this.builtinIdp, this.config, (u) => listenerUrl(u, this.listeners.status(u.id)?.port), input);
  }

  async listRequests(filter?: { upstream?: string; decision?: Decision; limit?: number }): Promise<RequestLogEntry[]> {
    return this.log.list(filter);
  }

  // ---- form helpers (diagnostics.ts) ----

  checkPort(host: string, port: number, upstreamId?: string): Promise<CheckResult> {
    const own = upstreamId ? this.listeners.status(upstreamId) : undefined;
    return diagnostics.checkPort(this.config, host, port, upstreamId, own?.state === 'running' ? own.port : undefined);
  }

  checkTarget(target: string): Promise<CheckResult> {
    return diagnostics.checkTarget(target);
  }

  checkIssuer(issuer: string): Promise<CheckResult> {
    return diagnostics.checkIssuer(issuer);
  }

  async testRoute(upstreamId: string, method: string, path: string): Promise<RouteTest> {
    return diagnostics.testRoute(this.settings.requireUpstream(upstreamId), method, path);
  }

  async previewHeaders(upstreamId: string, sessionId?: string): Promise<Record<string, string>> {
    const upstream = this.settings.requireUpstream(upstreamId);
    const session = sessionId ? this.sessions.get(sessionId) : this.sessions.list().find((s) => s.upstreamId === upstreamId);
    return diagnostics.previewHeaders(upstream, session, this.config.builtinIdp.users[0], this.simulations.get(upstreamId));
  }

  async explainRequest(input: ExplainInput): Promise<Explanation> {
    const upstream = this.settings.requireUpstream(input.upstream);
    return explainRequest(upstream, input, {
      ...this.explainedIdentity(upstream.id, input.persona),
      simulation: this.simulations.get(upstream.id),
      providerProblem: this.providers.handle(upstream.provider).problem(),
    });
  }

  /** `persona` is a built-in persona's username or `session:<id>` of a session on this upstream. */
  private explainedIdentity(upstreamId: string, persona: string | undefined): Pick<ExplainWho, 'identity' | 'tokens'> {
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

  /** Stops accepting, drains the listeners, persists sessions, stops the built-in provider. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.settings.idle();
    this.targets.stop();
    await this.listeners.close();
    this.providers.close();
    await this.sessions.close();
    await this.builtinIdp?.close();
    await this.discardIdpThread();
    this.events.close();
  }
}
