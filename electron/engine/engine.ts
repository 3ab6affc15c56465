// The engine: the ControlApi both shells and the renderer drive. A thin facade over the parts
// it builds and wires together (docs/architecture.md): the settings service, the built-in
// provider's host, the provider registry, the session service, the listener set and upstream
// control, the event hub, the fault lab, the request inspector and the state projection. Each
// control call asks one part and answers the state.
import type { CheckResult, ControlApi, Decision, EngineEvent, EngineState, ExplainInput, Explanation, IdentitySimulation, IdpFaults, ImportPreview, MintedToken, MintTokenInput, ProductionExport, ProviderInput, RouteTest, RequestLogEntry, ServiceClientInput, SessionView, UpstreamInput } from './api.ts';
import type { CookieSealer } from './auth/session-crypto.ts';
import type { SessionStore } from './auth/session-store.ts';
import { SessionService } from './auth/sessions.ts';
import { SessionTimeline } from './auth/session-timeline.ts';
import type { ExportFormat } from './config/export.ts';
import type { ImportFormat } from './config/import.ts';
import type { Persona, PortcullisConfig, UpstreamConfig } from './config/types.ts';
import { warningsFor } from './config/validate.ts';
import * as diagnostics from './diagnostics.ts';
import { openStorage, type StorageOptions } from './engine-storage.ts';
import { EventHub } from './event-hub.ts';
import { FaultLab } from './fault-lab.ts';
import type { Session } from './identity.ts';
import { IdpHost } from './idp-host.ts';
import type { IdpThread } from './idp/idp-thread.ts';
import { RequestLog } from './log/request-log.ts';
import { ListenerSet } from './listener-set.ts';
import * as production from './production-config.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { TargetWatch } from './proxy/target-watch.ts';
import { RequestInspector } from './request-inspector.ts';
import { sessionAnnouncer } from './session-announcer.ts';
import { SessionControl } from './session-control.ts';
import { viewSession } from './session-view.ts';
import type { SettingsService } from './settings-service.ts';
import { projectState } from './state-view.ts';
import { mintToken } from './token-mint.ts';
import { UpstreamControl } from './upstream-control.ts';

export interface EngineOptions extends StorageOptions {
  /** Where one-line notices go (warnings, provider problems). */
  log?: (line: string) => void;
  /** A built-in provider thread spawned ahead (spawnIdpThread) so it loads while the settings are read. */
  idpThread?: IdpThread;
}

export class Engine implements ControlApi {
  private readonly simulations = new Map<string, IdentitySimulation>();
  private closed = false;
  readonly log = new RequestLog(10_000);
  readonly providers: ProviderRegistry;
  readonly sessions: SessionService;
  private readonly idp: IdpHost;
  private readonly listeners: ListenerSet;
  private readonly upstreams: UpstreamControl;
  private readonly events: EventHub;
  private readonly timeline: SessionTimeline;
  private readonly faultLab: FaultLab;
  private readonly inspector: RequestInspector;
  private readonly sessionControl: SessionControl;
  private readonly targets = new TargetWatch(() => this.config.upstreams, () => this.events.stateChanged());

  private constructor(private readonly settings: SettingsService, sealer: CookieSealer, sessionStore: SessionStore, private readonly notice: (line: string) => void, idpThread: IdpThread | undefined) {
    this.events = new EventHub({ state: () => this.getState(), watching: (on) => (on ? this.targets.start() : this.targets.stop()) });
    const changed = () => this.events.stateChanged();
    const report = (scope: string, message: string, line?: string) => this.reportProblem(scope, message, line);
    this.idp = new IdpHost({ dataDir: settings.dataDir, secrets: settings.secrets, notice, report }, idpThread);
    this.providers = new ProviderRegistry(settings.secrets, () => this.idp.current, changed, () => this.idp.problem);
    this.timeline = new SessionTimeline((sessionId, event) => this.events.emit({ type: 'session-timeline', sessionId, event }));
    this.sessions = new SessionService(sessionStore, sealer, (id) => this.providers.get(id), sessionAnnouncer({ timeline: this.timeline, events: this.events, view: (s) => this.viewSession(s), report }));
    this.listeners = new ListenerSet(
      { sessions: this.sessions, sealer, log: this.log, provider: (id) => this.providers.handle(id), simulation: (id) => this.simulations.get(id) },
      { changed, failed: (id, message) => this.reportProblem(`upstream:${id}`, message, `upstream ${id}: ${message}`) },
    );
    this.upstreams = new UpstreamControl(settings, this.listeners, this.sessions, this.simulations);
    this.inspector = new RequestInspector(settings, this.listeners, this.sessions, this.providers, this.simulations);
    this.faultLab = new FaultLab({
      sessions: this.sessions,
      timeline: this.timeline,
      provider: (id) => this.providers.get(id),
      builtinIdp: () => this.idp.current,
      upstream: (id) => this.config.upstreams.find((u) => u.id === id),
      listenerPort: (id) => this.listeners.status(id)?.port,
      faultsChanged: () => this.providers.forgetReachability(),
    });
    this.sessionControl = new SessionControl({ sessions: this.sessions, faultLab: this.faultLab, view: (s) => this.viewSession(s) });
    this.log.onEntry((entry) => {
      if (this.events.listening) this.events.emit({ type: 'request', entry });
    });
  }

  static async start(opts: EngineOptions): Promise<Engine> {
    const notice = opts.log ?? ((line: string) => console.error(line));
    // The sessions file outlives this function; its failures go through the engine once it exists.
    let engine: Engine | undefined = undefined;
    const report = (scope: string, message: string) => (engine ? engine.reportProblem(scope, message) : notice(`error: ${message}`));
    const { settings, sealer, sessionStore } = await openStorage(opts, notice, report);
    engine = new Engine(settings, sealer, sessionStore, notice, opts.idpThread);
    await engine.boot();
    return engine;
  }

  get config(): PortcullisConfig {
    return this.settings.config;
  }

  private async boot(): Promise<void> {
    for (const warning of warningsFor(this.config)) this.notice(`warning: ${warning}`);
    await this.idp.start(this.config);
    await this.idp.discardSpareThread();
    await this.providers.configure(this.config.providers);
    await this.sessions.pruneExpired();
    await this.upstreams.startAll();
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
      targetReachable: (id, path) => this.targets.get(id, path),
      requestCount: (id) => this.log.count(id),
      targetRequestCount: (id, target) => this.log.countForTarget(id, target),
      simulation: (id) => this.simulations.get(id),
      sessions: await this.listSessions(),
      idpFaults: this.faultLab.faults,
      idpIssuer: this.idp.current?.issuer,
      serviceClientProblem: (id) => this.idp.serviceClientProblem(id),
      settingsPath: this.settings.path,
      secretStorageWarning: this.settings.secrets.warning,
    });
  }

  listSessions(): Promise<SessionView[]> { return this.sessionControl.list(); }

  private viewSession(session: Session): Promise<SessionView> {
    return viewSession(session, this.providers.get(session.providerId), this.timeline.of(session.id));
  }

  /** Runs a settings change after the ones before it, then announces and answers the state. */
  private change(run: () => Promise<unknown>): Promise<EngineState> {
    return this.settings.exclusive(async () => {
      await run();
      await this.idp.followUpstreams(this.config);
      this.events.stateChanged();
      return this.getState();
    });
  }

  /** Once a change that is not a settings change is `done`, announces and answers the state. */
  private async announce(done: unknown): Promise<EngineState> {
    await done;
    this.events.stateChanged();
    return this.getState();
  }

  // ---- upstreams and simulation (upstream-control.ts) ----
  addUpstream(input: UpstreamInput) { return this.change(() => this.upstreams.add(input)); }
  updateUpstream(id: string, input: UpstreamInput) { return this.change(() => this.upstreams.update(id, input)); }
  removeUpstream(id: string) { return this.change(() => this.upstreams.remove(id)); }
  startUpstream(id: string) { return this.change(() => this.upstreams.start(id)); }
  stopUpstream(id: string) { return this.change(() => this.upstreams.stop(id)); }
  startAll() { return this.change(() => this.upstreams.startAll()); }
  stopAll() { return this.change(() => this.upstreams.stopAll()); }
  setSimulation(upstreamId: string, simulation: IdentitySimulation) { return this.announce(this.upstreams.simulate(upstreamId, simulation)); }
  endSimulation(upstreamId: string) { return this.announce(this.upstreams.endSimulation(upstreamId)); }

  // ---- providers and the built-in provider's personas ----
  saveProvider(input: ProviderInput & { clientSecretValue?: string }): Promise<EngineState> {
    return this.change(async () => {
      const { clientSecretValue, ...provider } = input;
      const config = await this.settings.saveProvider(provider, clientSecretValue);
      await this.idp.start(config);
      await this.providers.configure(config.providers);
    });
  }

  removeProvider(id: string): Promise<EngineState> {
    return this.change(async () => this.providers.configure((await this.settings.removeProvider(id)).providers));
  }

  savePersonas(users: Persona[]): Promise<EngineState> {
    return this.change(async () => this.idp.update(await this.settings.change((draft) => void (draft.builtinIdp.users = users))));
  }

  saveServiceClients(clients: ServiceClientInput[]): Promise<EngineState> {
    return this.change(async () => this.idp.update(await this.settings.saveServiceClients(clients)));
  }

  // ---- import and export (production-config.ts) ----
  previewImport(text: string, format?: ImportFormat): Promise<ImportPreview> { return production.previewImport(text, format); }
  async exportUpstream(upstreamId: string, format: ExportFormat): Promise<ProductionExport> {
    this.settings.requireUpstream(upstreamId);
    return production.exportUpstream(this.config, upstreamId, format);
  }

  // ---- sign-in and sessions (session-control.ts), the fault lab (fault-lab.ts) and tokens ----
  async signInUrl(upstreamId: string, persona?: string): Promise<string> { return this.listeners.signInUrl(this.settings.requireUpstream(upstreamId), persona); }
  refreshSession(id: string): Promise<SessionView> { return this.sessionControl.refresh(id); }
  signOutSession(id: string): Promise<void> { return this.sessionControl.signOut(id); }
  expireSession(id: string, what: 'access' | 'session'): Promise<SessionView | undefined> { return this.sessionControl.expire(id, what); }
  switchPersona(id: string, persona: string): Promise<SessionView> { return this.sessionControl.switchPersona(id, persona); }
  setIdpFaults(faults: Partial<IdpFaults>) { return this.announce(this.faultLab.setFaults(faults)); }
  clearIdpFaults() { return this.announce(this.faultLab.clearFaults()); }
  mintToken(input: MintTokenInput): Promise<MintedToken> { return mintToken(this.idp.current, this.config, (u) => this.listeners.url(u), input); }
  async listRequests(filter?: { upstream?: string; decision?: Decision; limit?: number }): Promise<RequestLogEntry[]> { return this.log.list(filter); }

  // ---- form helpers and explain (request-inspector.ts, diagnostics.ts) ----
  checkPort(host: string, port: number, upstreamId?: string): Promise<CheckResult> { return this.inspector.checkPort(host, port, upstreamId); }
  checkTarget(target: string): Promise<CheckResult> { return diagnostics.checkTarget(target); }
  checkIssuer(issuer: string): Promise<CheckResult> { return diagnostics.checkIssuer(issuer); }
  async testRoute(upstreamId: string, method: string, path: string): Promise<RouteTest> { return this.inspector.testRoute(upstreamId, method, path); }
  async previewHeaders(upstreamId: string, sessionId?: string): Promise<Record<string, string>> { return this.inspector.previewHeaders(upstreamId, sessionId); }
  async explainRequest(input: ExplainInput): Promise<Explanation> { return this.inspector.explain(input); }

  /** Stops accepting, drains the listeners, persists sessions, stops the built-in provider. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.settings.idle();
    this.targets.stop();
    await this.listeners.close();
    this.providers.close();
    await this.sessions.close();
    await this.idp.close();
    this.events.close();
  }
}
