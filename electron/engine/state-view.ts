// Turns what the engine knows (settings, listener statuses, provider readiness, simulations,
// target reachability, request counts) into the EngineState the UIs show. Pure: every input is
// passed in, so the projection has a table test of its own (test/engine/state-view.test.ts).
import type { EngineState, IdpFaults, ListenerState, SessionView } from './api.ts';
import { frontCallbackUrls } from './auth/front-origin.ts';
import type { PortcullisConfig, UpstreamConfig } from './config/types.ts';
import type { IdentitySimulation } from './identity.ts';
import { viewServiceClients } from './service-clients.ts';

export interface StateFacts {
  config: PortcullisConfig;
  listener(id: string): { state: ListenerState; error?: string; port?: number } | undefined;
  providerStatus(id: string): { ready: boolean; error?: string };
  /** `path` names a `paths` entry; without it, the upstream's own target. */
  targetReachable(id: string, path?: string): boolean | undefined;
  requestCount(id: string): number;
  /** Requests of the upstream forwarded to `target`. */
  targetRequestCount(id: string, target: string): number;
  simulation(id: string): IdentitySimulation | undefined;
  sessions: SessionView[];
  settingsPath: string;
  secretStorageWarning?: string;
  idpFaults?: IdpFaults;
  /** The built-in provider's issuer URL, while it runs. */
  idpIssuer?: string;
  /** Why the running built-in provider left a service client out. */
  serviceClientProblem?(clientId: string): string | undefined;
}

const LOCAL_HOSTS = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'];

/** The URL printed for an upstream and opened by "Open in browser": the bound port once known. */
export function listenerUrl(upstream: UpstreamConfig, boundPort?: number): string {
  const host = LOCAL_HOSTS.includes(upstream.listen.host) ? 'localhost' : upstream.listen.host;
  return `http://${host}:${boundPort ?? upstream.listen.port}`;
}

export function projectState(facts: StateFacts): EngineState {
  const { config } = facts;
  const url = (u: UpstreamConfig) => listenerUrl(u, facts.listener(u.id)?.port);
  const upstreams = config.upstreams.map((u) => {
    const status = facts.listener(u.id) ?? { state: 'stopped' as const };
    const simulation = facts.simulation(u.id);
    const reachable = facts.targetReachable(u.id);
    return {
      ...u,
      status: {
        id: u.id,
        state: status.state,
        ...(status.error ? { error: status.error } : {}),
        url: url(u),
        ...(reachable !== undefined ? { targetReachable: reachable } : {}),
        requestCount: facts.requestCount(u.id),
        ...(simulation ? { simulation } : {}),
        ...(u.paths?.length
          ? {
              paths: u.paths.map((p) => {
                const up = facts.targetReachable(u.id, p.path);
                return { path: p.path, target: p.target, ...(up !== undefined ? { targetReachable: up } : {}), requestCount: facts.targetRequestCount(u.id, p.target) };
              }),
            }
          : {}),
      },
    };
  });
  const providers = config.providers.map((p) => {
    const s = facts.providerStatus(p.id);
    const redirectUrls = config.upstreams
      .filter((u) => u.provider === p.id)
      .flatMap((u) => [`${url(u)}/oauth2/callback`, ...frontCallbackUrls(u.redirectOrigins)]);
    return { ...p, status: { id: p.id, type: p.type, ready: s.ready, ...(s.error ? { error: s.error } : {}), redirectUrls } };
  });
  return {
    upstreams,
    providers,
    personas: config.builtinIdp.users,
    serviceClients: viewServiceClients(config.builtinIdp.clients, (id) => facts.serviceClientProblem?.(id)),
    ...(facts.idpIssuer ? { idpTokenEndpoint: `${facts.idpIssuer}/token` } : {}),
    sessions: facts.sessions,
    settingsPath: facts.settingsPath,
    ...(facts.secretStorageWarning ? { secretStorageWarning: facts.secretStorageWarning } : {}),
    ...(facts.idpFaults ? { idpFaults: facts.idpFaults } : {}),
  };
}
