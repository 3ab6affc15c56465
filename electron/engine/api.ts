// ControlApi: the one interface between the engine and every UI (docs/control-api.md).
// The desktop preload bridge and the headless HTTP + SSE console both carry exactly
// these calls and events; the renderer imports only these types.
import type { Persona, PortcullisConfig, ProviderConfig, UpstreamConfig } from './config/types.ts';
import type { ExportFormat, ImportFormat } from './config/production-formats.ts';
import type { IdentitySimulation } from './identity.ts';

export type { IdentitySimulation } from './identity.ts';

export type { Persona, ProviderConfig, UpstreamConfig, PortcullisConfig, SecretValue } from './config/types.ts';
export type { AccessRule, PathRoute } from './config/types.ts';

export type ListenerState = 'running' | 'stopped' | 'starting' | 'error';

export interface UpstreamStatus {
  id: string;
  state: ListenerState;
  /** Why the listener is in `error` (e.g. "port 4180 is in use"). */
  error?: string;
  /** URL a user opens, e.g. http://localhost:4180 */
  url: string;
  /** Whether something answered on the target at the last probe. */
  targetReachable?: boolean;
  requestCount: number;
  /** The identity simulation on this upstream, if one is active. */
  simulation?: IdentitySimulation;
  /** Each `paths` target: whether it answered the last probe, and how many requests it got. */
  paths?: Array<{ path: string; target: string; targetReachable?: boolean; requestCount: number }>;
}

export interface ProviderStatus {
  id: string;
  type: ProviderConfig['type'];
  ready: boolean;
  /** Why discovery failed, when not ready. */
  error?: string;
  /** Callback URL to register at the provider (one per upstream using it). */
  redirectUrls: string[];
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** Whether the signature was verified against the provider's keys. */
  signatureVerified: boolean;
  raw: string;
}

export interface TokenView {
  /** `jwt` when the token decodes as a JWT, else `opaque`. */
  kind: 'jwt' | 'opaque';
  jwt?: DecodedJwt;
  /** Raw token; only returned to an authenticated UI, never logged. */
  raw: string;
}

export interface SessionView {
  id: string;
  upstreamId: string;
  providerId: string;
  user: string;
  email: string;
  name?: string;
  preferredUsername?: string;
  groups: string[];
  roles: string[];
  createdAt: number;
  /** When the access token expires (ms since epoch), if known. */
  expiresAt?: number;
  /** When the refresh token expires (ms since epoch), where the provider says. */
  refreshExpiresAt?: number;
  willRefresh: boolean;
  idToken?: TokenView;
  accessToken?: TokenView;
  userinfo?: Record<string, unknown>;
  /** What happened to the session, oldest first, the last 20 events. */
  timeline: TimelineEvent[];
}

/** One event of a session's timeline (docs/control-api.md). */
export interface TimelineEvent {
  time: number;
  kind: 'signed-in' | 'refreshed' | 'refresh-failed' | 'access-expired' | 'switched' | 'ended';
  /** In words: the provider's error, the persona switched to, why the session ended. */
  detail?: string;
}

/** Failures the built-in identity provider produces on demand (docs/control-api.md, "Fault lab"). */
export interface IdpFaults {
  signIn: 'access_denied' | 'login_required' | 'server_error' | null;
  refresh: 'invalid_grant' | 'server_error' | null;
  latencyMs: number;
  down: boolean;
}

/** Every decision a request-log entry can carry. */
export const DECISIONS = ['public', 'allowed', 'denied', 'unauthenticated', 'error', 'endpoint'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface RequestLogEntry {
  seq: number;
  time: number;
  upstreamId: string;
  method: string;
  /** Path without the query string (queries can carry secrets). */
  path: string;
  status: number;
  decision: Decision;
  /** Which rule decided: e.g. "allowedGroups", "skipAuthRoutes[0]", "session". */
  rule?: string;
  /** The reason in words: "denied: needs group admins; has devs (simulated)". */
  reason: string;
  user?: string;
  simulated?: boolean;
  /** The target the request was forwarded to (the upstream's own or a `paths` one). */
  target?: string;
  durationMs: number;
}

/** A service client of the built-in provider as the UIs see it: never its secret, only where the secret comes from. */
export interface ServiceClientView {
  clientId: string;
  claims?: Record<string, unknown>;
  /** `env`: an environment variable (named); `store`: the secret store; `file`: written into the settings file itself. */
  secret: { source: 'env'; env: string } | { source: 'store' } | { source: 'file' };
  /** Why the running provider cannot give this client tokens (its secret cannot be read), if so. */
  problem?: string;
}

/**
 * A service client as saveServiceClients takes it (docs/control-api.md): the secret as an
 * environment variable's name, or a value to keep in the secret store; neither keeps the secret
 * the client already has.
 */
export interface ServiceClientInput {
  clientId: string;
  claims?: Record<string, unknown>;
  clientSecret?: { env: string };
  clientSecretValue?: string;
}

export interface EngineState {
  upstreams: Array<UpstreamConfig & { status: UpstreamStatus }>;
  providers: Array<ProviderConfig & { status: ProviderStatus }>;
  personas: Persona[];
  /** The built-in provider's clients for the client-credentials grant. */
  serviceClients: ServiceClientView[];
  /** The built-in provider's token endpoint, while it runs. */
  idpTokenEndpoint?: string;
  sessions: SessionView[];
  /** Where the settings are written (the --config file or the data dir's settings file). */
  settingsPath: string;
  /** The built-in identity provider's faults, while any is set. */
  idpFaults?: IdpFaults;
  /** Set when secrets are stored with weak protection (Linux basic_text fallback). */
  secretStorageWarning?: string;
}

/** The body of add/update: an upstream with optional fields filled from defaults. */
export type UpstreamInput = Partial<UpstreamConfig> & Pick<UpstreamConfig, 'id' | 'listen' | 'target'>;

export type ProviderInput = ProviderConfig;

export type { ExportFormat, ImportFormat };

/** What an oauth2-proxy file would add, before anything is applied (docs/control-api.md). */
export interface ImportPreview {
  config: PortcullisConfig;
  /** Options not imported, secrets turned into env references, problems with the result. */
  warnings: string[];
}

/** The production-side config for one upstream: `text` is what `portcullis export` prints. */
export interface ProductionExport {
  format: ExportFormat;
  text: string;
  /** What differs between this and production (TLS, cookie domain, the identity provider). */
  notes: string[];
}

export type EngineEvent =
  | { type: 'state'; state: EngineState }
  | { type: 'request'; entry: RequestLogEntry }
  | { type: 'session-started'; session: SessionView }
  | { type: 'session-ended'; sessionId: string }
  | { type: 'session-timeline'; sessionId: string; event: TimelineEvent }
  | { type: 'session-expiring'; sessionId: string; expiresAt: number }
  | { type: 'error'; scope: string; message: string };

/** Errors the API returns: a machine code, words, and the JSON path of the bad field. */
export interface ApiErrorBody {
  error: { code: string; message: string; path?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.path ? { path: this.path } : {}) } };
  }
}

/** The body of mintToken (docs/control-api.md, "Mint a token"). */
export interface MintTokenInput {
  persona: string;
  /** The access token's `aud`; the Portcullis client of the built-in provider when absent. */
  audience?: string;
  /** Seconds, 1–86400; 300 when absent. */
  expiresIn?: number;
  /** Merged over the persona's claims. */
  claims?: Record<string, unknown>;
}

export interface MintedToken {
  accessToken: string;
  idToken: string;
  /** ISO time. */
  expiresAt: string;
  /** A curl command line that calls an upstream with the access token. */
  curl: string;
}

export interface CheckResult {
  ok: boolean;
  message: string;
}

/** What the route tester answers: public (no sign-in), api (JSON refusals), the rule that decided, and where it would go. */
export interface RouteTest {
  public: boolean;
  api: boolean;
  rule?: string;
  /** With `paths`: the URL the request would be forwarded to. */
  target?: string;
}

/** The body of "Explain a request" (POST /api/v1/checks/explain). */
export interface ExplainInput {
  upstream: string;
  method: string;
  /** The path as a client sends it, with an optional query. */
  path: string;
  /** A built-in persona's username or `session:<id>`; anonymous when absent. */
  persona?: string;
}

/** The answer of "Explain a request" (docs/control-api.md). */
export interface Explanation {
  decision: Decision;
  /** What the listener answers; 200 stands for "forwarded": the target's own answer decides the real status. */
  status: number;
  rule: string | null;
  reason: string;
  /** The URL the request would be forwarded to, or null when Portcullis answers itself. */
  target: string | null;
  /** The identity headers the target would receive. */
  headers: Record<string, string>;
}

export interface ControlApi {
  getState(): Promise<EngineState>;

  addUpstream(input: UpstreamInput): Promise<EngineState>;
  updateUpstream(id: string, input: UpstreamInput): Promise<EngineState>;
  removeUpstream(id: string): Promise<EngineState>;
  startUpstream(id: string): Promise<EngineState>;
  stopUpstream(id: string): Promise<EngineState>;
  startAll(): Promise<EngineState>;
  stopAll(): Promise<EngineState>;

  saveProvider(input: ProviderInput & { clientSecretValue?: string }): Promise<EngineState>;
  removeProvider(id: string): Promise<EngineState>;
  savePersonas(users: Persona[]): Promise<EngineState>;
  /** Replaces the built-in provider's service clients; the running provider takes them at once. */
  saveServiceClients(clients: ServiceClientInput[]): Promise<EngineState>;

  /** URL of the listener's /oauth2/start (with login_hint for a persona). */
  signInUrl(upstreamId: string, persona?: string): Promise<string>;
  listSessions(): Promise<SessionView[]>;
  refreshSession(id: string): Promise<SessionView>;
  signOutSession(id: string): Promise<void>;
  /** Expires the session's access token (the next request refreshes) or the whole session. */
  expireSession(id: string, what: 'access' | 'session'): Promise<SessionView | undefined>;
  /** A fresh sign-in as another persona at the built-in provider, without the browser. */
  switchPersona(id: string, persona: string): Promise<SessionView>;

  /** Sets every fault of the built-in identity provider at once; clearIdpFaults ends them. */
  setIdpFaults(faults: Partial<IdpFaults>): Promise<EngineState>;
  clearIdpFaults(): Promise<EngineState>;

  /** Each part given replaces the real groups or roles, or (claims) is merged over the real claims. */
  setSimulation(upstreamId: string, simulation: IdentitySimulation): Promise<EngineState>;
  endSimulation(upstreamId: string): Promise<EngineState>;

  /** Tokens for a persona signed by the built-in provider; they pass upstreams with bearerTokens on. */
  mintToken(input: MintTokenInput): Promise<MintedToken>;

  listRequests(filter?: { upstream?: string; decision?: Decision; limit?: number }): Promise<RequestLogEntry[]>;

  /** Helpers for forms: is a port free, does a target answer, is an issuer an OIDC issuer. */
  checkPort(host: string, port: number, upstreamId?: string): Promise<CheckResult>;
  checkTarget(target: string): Promise<CheckResult>;
  checkIssuer(issuer: string): Promise<CheckResult>;
  /** Which route rules match a path: public (skip-auth) and api. */
  testRoute(upstreamId: string, method: string, path: string): Promise<RouteTest>;
  /** The exact headers the target would receive for a session under the upstream's flags. */
  previewHeaders(upstreamId: string, sessionId?: string): Promise<Record<string, string>>;
  /** What the listener would answer a request, and why, without sending anything to the target. */
  explainRequest(input: ExplainInput): Promise<Explanation>;

  /** Reads an oauth2-proxy .cfg, env file or docker-compose file; applies nothing. */
  previewImport(text: string, format?: ImportFormat): Promise<ImportPreview>;
  /** The production config for an upstream in one of the export formats. */
  exportUpstream(upstreamId: string, format: ExportFormat): Promise<ProductionExport>;

  subscribe(listener: (event: EngineEvent) => void): () => void;
}

// The rules the UIs check as the user types are the engine's own (pure, no Node), so a form
// and `portcullis check` never disagree (docs/configuration.md, "Claims").
export { BUILTIN_CLIENT_ID, MAX_CLAIMS_BYTES, MAX_MINT_LIFETIME_SECONDS, MIN_TOKEN_TTL, MAX_TOKEN_TTL, protocolClaimProblem } from './config/builtin-idp-rules.ts';
export { canonicalHeaderName, claimHeaderNameProblem, claimList, claimPathProblem } from './config/claim-paths.ts';
