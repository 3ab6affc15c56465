// The form helpers behind the console's and the desktop's "check" buttons: is this port free,
// does this target answer, is this an OIDC issuer, which rule does this path hit, which headers
// would the app receive. The decisions are pure functions of what is passed in (table-tested in
// test/engine/diagnostics.test.ts); only the probes touch the network.
import { claimList } from './config/claim-paths.ts';
import type { CheckResult, RouteTest } from './api.ts';
import { renderClaimHeaders } from './auth/claim-headers.ts';
import { authRequestHeaders, upstreamIdentityHeaders } from './auth/headers.ts';
import { compileAccessRules, ruleLabel } from './auth/access-rules.ts';
import { compileRoutes } from './auth/routes.ts';
import { choosePathTarget, targetUrl } from './proxy/path-routing.ts';
import type { Persona, PortcullisConfig, UpstreamConfig } from './config/types.ts';
import { probePort } from './http/port-probe.ts';
import { probeTarget } from './http/target-probe.ts';
import type { Identity, IdentitySimulation, TokenSet } from './identity.ts';
import { simulatedIdentity } from './auth/simulation.ts';
import { createProvider } from './providers/create-provider.ts';

/**
 * What can be said about a port without binding it: the upstream's own running listener is
 * fine, another upstream's port is taken. Undefined means "ask the operating system".
 */
export function portVerdict(config: PortcullisConfig, port: number, upstreamId: string | undefined, ownRunningPort: number | undefined): CheckResult | undefined {
  if (ownRunningPort !== undefined && ownRunningPort === port) return { ok: true, message: `port ${port} is this upstream's own listener` };
  const taken = config.upstreams.find((u) => u.id !== upstreamId && u.listen.port === port);
  if (taken) return { ok: false, message: `port ${port} is already used by upstream ${taken.id}` };
  return undefined;
}

export async function checkPort(config: PortcullisConfig, host: string, port: number, upstreamId: string | undefined, ownRunningPort: number | undefined): Promise<CheckResult> {
  const verdict = portVerdict(config, port, upstreamId, ownRunningPort);
  if (verdict) return verdict;
  const problem = await probePort(host, port);
  return problem ? { ok: false, message: problem } : { ok: true, message: `port ${port} is free` };
}

export async function checkTarget(target: string): Promise<CheckResult> {
  const probe = await probeTarget(target);
  return { ok: probe.reachable, message: probe.message };
}

export async function checkIssuer(issuer: string): Promise<CheckResult> {
  try {
    await createProvider({ id: 'check', type: 'oidc', issuer, clientId: 'check' }, {}).ensureReady();
    return { ok: true, message: `${issuer} is an OpenID Connect issuer` };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/**
 * Which of the upstream's route rules and access rules a request hits: skipAuthRoutes first, then
 * the first matching rule (docs/configuration.md, "Paths and rules"); with `paths`, also the URL
 * it would be forwarded to.
 */
export function testRoute(upstream: UpstreamConfig, method: string, path: string): RouteTest {
  const skip = compileRoutes(upstream.skipAuthRoutes).match(method, path);
  const api = compileRoutes(upstream.apiRoutes).match(method, path);
  const access = skip ? undefined : compileAccessRules(upstream.rules ?? []).match(method, path);
  const rule = skip
    ? `skipAuthRoutes[${skip.index}] ${skip.rule}`
    : access
      ? `rules[${access.index}] ${ruleLabel(access.rule)}`
      : api
        ? `apiRoutes[${api.index}] ${api.rule}`
        : undefined;
  const choice = upstream.paths?.length ? choosePathTarget(upstream.paths, upstream.target, path) : undefined;
  return {
    public: skip !== undefined || access?.rule.public === true,
    api: api !== undefined || access?.rule.api === true,
    ...(rule ? { rule } : {}),
    ...(choice ? { target: targetUrl(choice.target, choice.forwardPath) } : {}),
  };
}

/** Who the preview shows when nobody is signed in: the first persona, else alice. */
export function sampleIdentity(persona: Persona | undefined): Identity {
  return {
    user: persona?.username ?? 'alice',
    email: persona?.email ?? 'alice@example.test',
    groups: persona?.groups ?? ['admins', 'devs'],
    roles: claimList(persona?.claims ?? {}, 'roles') ?? [],
    claims: { sub: persona?.username ?? 'alice', email: persona?.email ?? 'alice@example.test', groups: persona?.groups ?? ['admins', 'devs'], ...persona?.claims },
    preferredUsername: persona?.username ?? 'alice',
    name: persona?.name,
  };
}

/**
 * The identity headers the app would receive: from a real session when there is one, else for
 * a sample persona with placeholder tokens; a simulation replaces the parts it sets.
 */
export function previewHeaders(
  upstream: UpstreamConfig,
  session: { identity: Identity; tokens: TokenSet } | undefined,
  samplePersona: Persona | undefined,
  simulation: IdentitySimulation | undefined,
): Record<string, string> {
  const identity = session?.identity ?? sampleIdentity(samplePersona);
  const effective = simulation ? simulatedIdentity(identity, simulation) : identity;
  const tokens = session?.tokens ?? { accessToken: '<access token>', idToken: '<id token>' };
  return {
    ...upstreamIdentityHeaders(effective, tokens, upstream),
    ...renderClaimHeaders(effective.claims, upstream.claimHeaders),
    ...(upstream.setXAuthRequest ? authRequestHeaders(effective, tokens, upstream) : {}),
  };
}
