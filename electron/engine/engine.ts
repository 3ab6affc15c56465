// The engine: the ControlApi both shells and the renderer drive. A thin facade over the parts
// engine-parts.ts builds and wires together (docs/architecture.md): the settings service, the
// built-in provider's host, the provider registry, the session service and session control, the
// listener set and upstream control, the event hub, the fault lab, the request inspector and the
// state projection. Each control call asks one part and answers the state.
import type { CheckResult, ControlApi, Decision, EngineEvent, EngineState, ExplainInput, Explanation, IdentitySimulation, IdpFaults, ImportPreview, MintedToken, MintTokenInput, ProductionExport, ProviderInput, RouteTest, RequestLogEntry, ServiceClientInput, SessionView, UpstreamInput } from './api.ts';
import type { SessionService } from './auth/sessions.ts';
import type { ExportFormat, ImportFormat } from './config/production-formats.ts';
import type { Persona, PortcullisConfig, UpstreamConfig } from './config/types.ts';
import { warningsFor } from './config/validate.ts';
import * as diagnostics from './diagnostics.ts';
import { buildEngineParts, type EngineParts } from './engine-parts.ts';
import { openStorage, type StorageOptions } from './engine-storage.ts';
import type { IdpThread } from './idp/idp-thread.ts';
import type { RequestLog } from './log/request-log.ts';
import * as production from './production-config.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type { SettingsService } from './settings-service.ts';
import { mintToken } from './token-mint.ts';

export interface EngineOptions extends StorageOptions {
  /** Where one-line notices go (warnings, provider problems). */
  log?: (line: string) => void;
  /** A built-in provider thread spawned ahead (spawnIdpThread) so it loads while the settings are read. */
  idpThread?: IdpThread;
}

export class Engine implements ControlApi {
  private closed = false;
  readonly log: RequestLog;
  readonly providers: ProviderRegistry;
  readonly sessions: SessionService;

  private constructor(private readonly settings: SettingsService, private readonly parts: EngineParts, private readonly notice: (line: string) => void) {
    ({ log: this.log, providers: this.providers, sessions: this.sessions } = parts);
  }

  static async start(opts: EngineOptions): Promise<Engine> {
    const notice = opts.log ?? ((line: string) => console.error(line));
    // The sessions file outlives this function; its failures go through the engine once it exists.
    let engine: Engine | undefined = undefined;
    const report = (scope: string, message: string) => (engine ? engine.reportProblem(scope, message) : notice(`error: ${message}`));
    const storage = await openStorage(opts, notice, report);
    engine = new Engine(storage.settings, buildEngineParts(storage, notice, opts.idpThread), notice);
    await engine.boot();
    return engine;
  }

  get config(): PortcullisConfig {
    return this.settings.config;
  }

  private async boot(): Promise<void> {
    const { idp, providers, sessions, upstreams, events } = this.parts;
    for (const warning of warningsFor(this.config)) this.notice(`warning: ${warning}`);
    await idp.start(this.config);
    await idp.discardSpareThread();
    await providers.configure(this.config.providers);
    await sessions.pruneExpired();
    await upstreams.startAll();
    events.watchExpiry(() => sessions.takeExpiring());
  }

  /**
   * The one logger for failures that change what the user sees: one line to the log, and an
   * `error` event the console and the desktop (notification, tray) show. `line` adds context
   * the event's scope already carries.
   */
  reportProblem(scope: string, message: string, line?: string): void { this.parts.report(scope, message, line); }

  /** The URL printed for an upstream and opened by "Open in browser". */
  listenerUrl(upstream: UpstreamConfig): string { return this.parts.listeners.url(upstream); }

  /** Lines `serve` prints once everything listens. */
  readyLines(): string[] { return this.parts.listeners.readyLines(this.config.upstreams); }

  subscribe(listener: (event: EngineEvent) => void): () => void { return this.parts.events.subscribe(listener); }
  getState(): Promise<EngineState> { return this.parts.state(); }
  listSessions(): Promise<SessionView[]> { return this.parts.sessionControl.list(); }

  /** Runs a settings change after the ones before it, then announces and answers the state. */
  private change(run: () => Promise<unknown>): Promise<EngineState> {
    return this.settings.exclusive(async () => {
      await run();
      await this.parts.idp.followUpstreams(this.config);
      this.parts.events.stateChanged();
      return this.getState();
    });
  }

  /** Once a change that is not a settings change is `done`, announces and answers the state. */
  private async announce(done: unknown): Promise<EngineState> {
    await done;
    this.parts.events.stateChanged();
    return this.getState();
  }

  // ---- upstreams and simulation (upstream-control.ts) ----
  addUpstream(input: UpstreamInput) { return this.change(() => this.parts.upstreams.add(input)); }
  updateUpstream(id: string, input: UpstreamInput) { return this.change(() => this.parts.upstreams.update(id, input)); }
  removeUpstream(id: string) { return this.change(() => this.parts.upstreams.remove(id)); }
  startUpstream(id: string) { return this.change(() => this.parts.upstreams.start(id)); }
  stopUpstream(id: string) { return this.change(() => this.parts.upstreams.stop(id)); }
  startAll() { return this.change(() => this.parts.upstreams.startAll()); }
  stopAll() { return this.change(() => this.parts.upstreams.stopAll()); }
  setSimulation(upstreamId: string, simulation: IdentitySimulation) { return this.announce(this.parts.upstreams.simulate(upstreamId, simulation)); }
  endSimulation(upstreamId: string) { return this.announce(this.parts.upstreams.endSimulation(upstreamId)); }

  // ---- providers and the built-in provider's personas ----
  saveProvider(input: ProviderInput & { clientSecretValue?: string }): Promise<EngineState> {
    return this.change(async () => {
      const { clientSecretValue, ...provider } = input;
      const config = await this.settings.saveProvider(provider, clientSecretValue);
      await this.parts.idp.start(config);
      await this.parts.providers.configure(config.providers);
    });
  }

  removeProvider(id: string): Promise<EngineState> {
    return this.change(async () => this.parts.providers.configure((await this.settings.removeProvider(id)).providers));
  }

  savePersonas(users: Persona[]): Promise<EngineState> {
    return this.change(async () => this.parts.idp.update(await this.settings.change((draft) => void (draft.builtinIdp.users = users))));
  }

  saveServiceClients(clients: ServiceClientInput[]): Promise<EngineState> {
    return this.change(async () => this.parts.idp.update(await this.settings.saveServiceClients(clients)));
  }

  // ---- import and export (production-config.ts) ----
  previewImport(text: string, format?: ImportFormat): Promise<ImportPreview> { return production.previewImport(text, format); }
  async exportUpstream(upstreamId: string, format: ExportFormat): Promise<ProductionExport> {
    this.settings.requireUpstream(upstreamId);
    return production.exportUpstream(this.config, upstreamId, format);
  }

  // ---- sign-in and sessions (session-control.ts), the fault lab (fault-lab.ts) and tokens ----
  async signInUrl(upstreamId: string, persona?: string): Promise<string> { return this.parts.listeners.signInUrl(this.settings.requireUpstream(upstreamId), persona); }
  refreshSession(id: string): Promise<SessionView> { return this.parts.sessionControl.refresh(id); }
  signOutSession(id: string): Promise<void> { return this.parts.sessionControl.signOut(id); }
  expireSession(id: string, what: 'access' | 'session'): Promise<SessionView | undefined> { return this.parts.sessionControl.expire(id, what); }
  switchPersona(id: string, persona: string): Promise<SessionView> { return this.parts.sessionControl.switchPersona(id, persona); }
  setIdpFaults(faults: Partial<IdpFaults>) { return this.announce(this.parts.faultLab.setFaults(faults)); }
  clearIdpFaults() { return this.announce(this.parts.faultLab.clearFaults()); }
  mintToken(input: MintTokenInput): Promise<MintedToken> { return mintToken(this.parts.idp.current, this.config, (u) => this.parts.listeners.url(u), input); }
  async listRequests(filter?: { upstream?: string; decision?: Decision; limit?: number }): Promise<RequestLogEntry[]> { return this.log.list(filter); }

  // ---- form helpers and explain (request-inspector.ts, diagnostics.ts) ----
  checkPort(host: string, port: number, upstreamId?: string): Promise<CheckResult> { return this.parts.inspector.checkPort(host, port, upstreamId); }
  checkTarget(target: string): Promise<CheckResult> { return diagnostics.checkTarget(target); }
  checkIssuer(issuer: string): Promise<CheckResult> { return diagnostics.checkIssuer(issuer); }
  async testRoute(upstreamId: string, method: string, path: string): Promise<RouteTest> { return this.parts.inspector.testRoute(upstreamId, method, path); }
  async previewHeaders(upstreamId: string, sessionId?: string): Promise<Record<string, string>> { return this.parts.inspector.previewHeaders(upstreamId, sessionId); }
  async explainRequest(input: ExplainInput): Promise<Explanation> { return this.parts.inspector.explain(input); }

  /** Stops accepting, drains the listeners, persists sessions, stops the built-in provider. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.settings.idle();
    this.parts.targets.stop();
    await this.parts.listeners.close();
    this.providers.close();
    await this.sessions.close();
    await this.parts.idp.close();
    this.parts.events.close();
  }
}
