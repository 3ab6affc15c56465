// The parts engine.ts is a facade over (docs/architecture.md, "The parts of the facade"), built
// once at start and wired here: who tells whom about a change, the one reporter of problems,
// and the state the UIs are shown, projected from all of them.
import type { EngineState, SessionView } from './api.ts';
import { SessionService } from './auth/sessions.ts';
import { SessionTimeline } from './auth/session-timeline.ts';
import type { EngineStorage } from './engine-storage.ts';
import { EventHub } from './event-hub.ts';
import { FaultLab } from './fault-lab.ts';
import type { IdentitySimulation, Session } from './identity.ts';
import { IdpHost } from './idp-host.ts';
import type { IdpThread } from './idp/idp-thread.ts';
import { ListenerSet } from './listener-set.ts';
import { RequestLog } from './log/request-log.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { TargetWatch } from './proxy/target-watch.ts';
import { RequestInspector } from './request-inspector.ts';
import { sessionAnnouncer } from './session-announcer.ts';
import { SessionControl } from './session-control.ts';
import { viewSession } from './session-view.ts';
import { projectState } from './state-view.ts';
import { UpstreamControl } from './upstream-control.ts';

export interface EngineParts {
  log: RequestLog;
  providers: ProviderRegistry;
  sessions: SessionService;
  idp: IdpHost;
  listeners: ListenerSet;
  upstreams: UpstreamControl;
  sessionControl: SessionControl;
  events: EventHub;
  faultLab: FaultLab;
  inspector: RequestInspector;
  targets: TargetWatch;
  /** The one logger for failures the user sees (docs/architecture.md, "One logger"). */
  report(scope: string, message: string, line?: string): void;
  state(): Promise<EngineState>;
}

export function buildEngineParts({ settings, sealer, sessionStore }: EngineStorage, notice: (line: string) => void, idpThread: IdpThread | undefined): EngineParts {
  const log = new RequestLog(10_000);
  // Not saved (a restart ends every simulation): shared by the listeners, the upstream calls, the inspector and the state.
  const simulations = new Map<string, IdentitySimulation>();
  const targets = new TargetWatch(() => settings.config.upstreams, () => events.stateChanged());
  const events = new EventHub({ state: () => state(), watching: (on) => (on ? targets.start() : targets.stop()) });
  const changed = () => events.stateChanged();
  const report = (scope: string, message: string, line = message) => {
    notice(`error: ${line}`);
    events.emit({ type: 'error', scope, message });
  };
  const idp = new IdpHost({ dataDir: settings.dataDir, secrets: settings.secrets, notice, report }, idpThread);
  const providers = new ProviderRegistry(settings.secrets, () => idp.current, changed, () => idp.problem);
  const timeline = new SessionTimeline((sessionId, event) => events.emit({ type: 'session-timeline', sessionId, event }));
  const view = (s: Session): Promise<SessionView> => viewSession(s, providers.get(s.providerId), timeline.of(s.id));
  const sessions = new SessionService(sessionStore, sealer, (id) => providers.get(id), sessionAnnouncer({ timeline, events, view, report }));
  const listeners = new ListenerSet(
    { sessions, sealer, log, provider: (id) => providers.handle(id), simulation: (id) => simulations.get(id) },
    { changed, failed: (id, message) => report(`upstream:${id}`, message, `upstream ${id}: ${message}`) },
  );
  const upstreams = new UpstreamControl(settings, listeners, sessions, simulations);
  const inspector = new RequestInspector(settings, listeners, sessions, providers, simulations);
  const faultLab = new FaultLab({
    sessions,
    timeline,
    provider: (id) => providers.get(id),
    builtinIdp: () => idp.current,
    upstream: (id) => settings.config.upstreams.find((u) => u.id === id),
    listenerPort: (id) => listeners.status(id)?.port,
    faultsChanged: () => providers.forgetReachability(),
  });
  const sessionControl = new SessionControl({ sessions, faultLab, view });
  log.onEntry((entry) => {
    if (events.listening) events.emit({ type: 'request', entry });
  });

  async function state(): Promise<EngineState> {
    return projectState({
      config: settings.config,
      listener: (id) => listeners.status(id),
      providerStatus: (id) => providers.status(id),
      targetReachable: (id, path) => targets.get(id, path),
      requestCount: (id) => log.count(id),
      targetRequestCount: (id, target) => log.countForTarget(id, target),
      simulation: (id) => simulations.get(id),
      sessions: await sessionControl.list(),
      idpFaults: faultLab.faults,
      idpIssuer: idp.current?.issuer,
      serviceClientProblem: (id) => idp.serviceClientProblem(id),
      settingsPath: settings.path,
      secretStorageWarning: settings.secrets.warning,
    });
  }

  return { log, providers, sessions, idp, listeners, upstreams, sessionControl, events, faultLab, inspector, targets, report, state };
}
