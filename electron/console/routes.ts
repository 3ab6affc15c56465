// The HTTP form of ControlApi (docs/control-api.md): one table row per call, each turning a request
// into exactly one ControlApi method after its body and query are validated.
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../engine/api.ts';
import type { ControlApi, Decision, ExplainInput, IdentitySimulation, IdpFaults, ImportFormat, MintTokenInput, Persona, ProviderInput, ServiceClientInput, UpstreamInput } from '../engine/api.ts';
import { validateBody, validateExportFormat, validateProvider, validators } from '../engine/api-schemas.ts';

export interface RouteContext {
  api: ControlApi;
  req: IncomingMessage;
  params: string[];
  query: URLSearchParams;
  body: () => Promise<unknown>;
}

interface Route {
  method: string;
  pattern: RegExp;
  /** `undefined` means 204 No Content. */
  handle: (ctx: RouteContext) => Promise<unknown>;
}

const ID = '([^/]+)';

const route = (method: string, path: string, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^/api/v1/${path}$`),
  handle,
});

export const routes: Route[] = [
  route('GET', 'state', ({ api }) => api.getState()),

  route('POST', 'upstreams', async ({ api, body }) => api.addUpstream(validateBody<UpstreamInput>(validators.upstream, await body()))),
  route('PUT', `upstreams/${ID}`, async ({ api, body, params }) =>
    api.updateUpstream(params[0], validateBody<UpstreamInput>(validators.upstream, await body())),
  ),
  route('DELETE', `upstreams/${ID}`, ({ api, params }) => api.removeUpstream(params[0])),
  route('POST', `upstreams/${ID}/start`, ({ api, params }) => api.startUpstream(params[0])),
  route('POST', `upstreams/${ID}/stop`, ({ api, params }) => api.stopUpstream(params[0])),
  route('POST', 'start', ({ api }) => api.startAll()),
  route('POST', 'stop', ({ api }) => api.stopAll()),
  route('GET', `upstreams/${ID}/sign-in`, async ({ api, params, query }) => ({
    url: await api.signInUrl(params[0], query.get('persona') ?? undefined),
  })),
  route('PUT', `upstreams/${ID}/simulation`, async ({ api, body, params }) =>
    api.setSimulation(params[0], validateBody<IdentitySimulation>(validators.simulation, await body())),
  ),
  route('POST', 'tokens', async ({ api, body }) => api.mintToken(validateBody<MintTokenInput>(validators.mintToken, await body()))),
  route('DELETE', `upstreams/${ID}/simulation`, ({ api, params }) => api.endSimulation(params[0])),
  route('GET', `upstreams/${ID}/export`, ({ api, params, query }) => api.exportUpstream(params[0], validateExportFormat(query.get('format'), '?format'))),
  route('POST', 'import', async ({ api, body }) => {
    const b = validateBody<{ text: string; format?: ImportFormat }>(validators.importText, await body());
    return api.previewImport(b.text, b.format);
  }),

  route('PUT', `providers/${ID}`, async ({ api, body, params }) => {
    const input = validateProvider<ProviderInput & { clientSecretValue?: string }>(await body());
    if (input.id !== params[0]) throw new ApiError(400, 'id_mismatch', `the body's id "${input.id}" differs from the URL's "${params[0]}"`, '$.id');
    return api.saveProvider(input);
  }),
  route('DELETE', `providers/${ID}`, ({ api, params }) => api.removeProvider(params[0])),
  route('PUT', 'personas', async ({ api, body }) => api.savePersonas(validateBody<{ users: Persona[] }>(validators.personas, await body()).users)),
  route('PUT', 'idp/clients', async ({ api, body }) =>
    api.saveServiceClients(validateBody<{ clients: ServiceClientInput[] }>(validators.serviceClients, await body()).clients),
  ),

  route('GET', 'sessions', ({ api }) => api.listSessions()),
  route('DELETE', `sessions/${ID}`, async ({ api, params }) => {
    await api.signOutSession(params[0]);
    return undefined;
  }),
  route('POST', `sessions/${ID}/refresh`, ({ api, params }) => api.refreshSession(params[0])),
  route('POST', `sessions/${ID}/expire`, async ({ api, body, params }) => {
    const expired = await api.expireSession(params[0], validateBody<{ what: 'access' | 'session' }>(validators.expireSession, await body()).what);
    return expired ?? undefined;
  }),
  route('POST', `sessions/${ID}/switch`, async ({ api, body, params }) =>
    api.switchPersona(params[0], validateBody<{ persona: string }>(validators.switchPersona, await body()).persona),
  ),
  route('PUT', 'idp/faults', async ({ api, body }) => api.setIdpFaults(validateBody<Partial<IdpFaults>>(validators.idpFaults, await body()))),
  route('DELETE', 'idp/faults', ({ api }) => api.clearIdpFaults()),

  route('GET', 'requests', ({ api, query }) => api.listRequests(requestFilter(query))),

  route('POST', 'checks/port', async ({ api, body }) => {
    const b = validateBody<{ host: string; port: number; upstreamId?: string }>(validators.checkPort, await body());
    return api.checkPort(b.host, b.port, b.upstreamId);
  }),
  route('POST', 'checks/target', async ({ api, body }) => api.checkTarget(validateBody<{ target: string }>(validators.checkTarget, await body()).target)),
  route('POST', 'checks/issuer', async ({ api, body }) => api.checkIssuer(validateBody<{ issuer: string }>(validators.checkIssuer, await body()).issuer)),
  route('POST', 'checks/route', async ({ api, body }) => {
    const b = validateBody<{ upstreamId: string; method: string; path: string }>(validators.checkRoute, await body());
    return api.testRoute(b.upstreamId, b.method, b.path);
  }),
  route('POST', 'checks/headers', async ({ api, body }) => {
    const b = validateBody<{ upstreamId: string; sessionId?: string }>(validators.checkHeaders, await body());
    return api.previewHeaders(b.upstreamId, b.sessionId);
  }),
  route('POST', 'checks/explain', async ({ api, body }) => api.explainRequest(validateBody<ExplainInput>(validators.explain, await body()))),
];

/** Finds the route for a method and path: 404 when no path matches, 405 when only the method is wrong. */
export function matchRoute(method: string, path: string): { route: Route; params: string[] } {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method === method) return { route: r, params: m.slice(1).map(decodeParam) };
  }
  if (pathMatched) throw new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${path}`);
  throw new ApiError(404, 'not_found', `no such API route: ${path}`);
}

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ApiError(400, 'bad_path', 'the URL path is not valid percent-encoding');
  }
}

/** The query string as the filter object the desktop passes, checked by the same schema. */
function requestFilter(query: URLSearchParams): { upstream?: string; decision?: Decision; limit?: number } {
  const filter: Record<string, unknown> = {};
  for (const [key, value] of query) {
    if (key !== 'upstream' && key !== 'decision' && key !== 'limit') {
      throw new ApiError(400, 'unknown_parameter', `unknown query parameter "${key}"`, `?${key}`);
    }
    if (value === '') continue;
    filter[key] = key === 'limit' && /^\d{1,6}$/.test(value) ? Number(value) : value;
  }
  try {
    return validateBody(validators.requestFilter, filter);
  } catch (err) {
    // Named as query parameters (`?limit`), not as body fields.
    const key = err instanceof ApiError && err.path ? err.path.replace(/^\$\./, '') : '';
    throw new ApiError(400, 'invalid_parameter', `${key} is not valid: ${err instanceof Error ? err.message.replace(/^\$\.\w+ /, '') : ''}`, `?${key}`);
  }
}
