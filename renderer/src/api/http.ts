// ControlApi over the headless console's HTTP + SSE transport (docs/control-api.md). The token
// travels as a bearer header on every call, the event stream included (read with fetch).
import type {
  CheckResult, ControlApi, Decision, EngineEvent, EngineState, ExplainInput, Explanation, ExportFormat, IdentitySimulation, IdpFaults, ImportFormat,
  ImportPreview, MintedToken, MintTokenInput, Persona, ProductionExport, ProviderInput, RequestLogEntry, RouteTest, ServiceClientInput, SessionView, UpstreamInput,
} from '../../../electron/engine/api.ts';
import { apiErrorFromResponse } from './errors.ts';
import { readEventStream } from './event-stream.ts';
import { LIVE_CONNECTION_SCOPE } from './notices.ts';

const enc = encodeURIComponent;

export interface HttpControlApiOptions {
  /** The console token, read at each call (a page opened later with a new one replaces it). */
  token?: () => string | undefined;
  /** How long to wait before reopening a dropped event stream. */
  reconnectMs?: number;
}

export class HttpControlApi implements ControlApi {
  constructor(
    private readonly base = '/api/v1',
    private readonly options: HttpControlApiOptions = {},
  ) {}

  private headers(json: boolean): Record<string, string> {
    const token = this.options.token?.();
    return { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(json ? { 'Content-Type': 'application/json' } : {}) };
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/${path}`, {
      method,
      credentials: 'omit',
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 204) return undefined as T;
    const data: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw apiErrorFromResponse(res.status, data);
    return data as T;
  }

  getState = () => this.call<EngineState>('GET', 'state');
  addUpstream = (input: UpstreamInput) => this.call<EngineState>('POST', 'upstreams', input);
  updateUpstream = (id: string, input: UpstreamInput) => this.call<EngineState>('PUT', `upstreams/${enc(id)}`, input);
  removeUpstream = (id: string) => this.call<EngineState>('DELETE', `upstreams/${enc(id)}`);
  startUpstream = (id: string) => this.call<EngineState>('POST', `upstreams/${enc(id)}/start`);
  stopUpstream = (id: string) => this.call<EngineState>('POST', `upstreams/${enc(id)}/stop`);
  startAll = () => this.call<EngineState>('POST', 'start');
  stopAll = () => this.call<EngineState>('POST', 'stop');

  saveProvider = (input: ProviderInput & { clientSecretValue?: string }) =>
    this.call<EngineState>('PUT', `providers/${enc(input.id)}`, input);
  removeProvider = (id: string) => this.call<EngineState>('DELETE', `providers/${enc(id)}`);
  savePersonas = (users: Persona[]) => this.call<EngineState>('PUT', 'personas', { users });
  saveServiceClients = (clients: ServiceClientInput[]) => this.call<EngineState>('PUT', 'idp/clients', { clients });

  signInUrl = async (upstreamId: string, persona?: string) => {
    const q = persona ? `?persona=${enc(persona)}` : '';
    return (await this.call<{ url: string }>('GET', `upstreams/${enc(upstreamId)}/sign-in${q}`)).url;
  };
  listSessions = () => this.call<SessionView[]>('GET', 'sessions');
  expireSession = (id: string, what: 'access' | 'session') =>
    this.call<SessionView | undefined>('POST', `sessions/${enc(id)}/expire`, { what });
  switchPersona = (id: string, persona: string) => this.call<SessionView>('POST', `sessions/${enc(id)}/switch`, { persona });
  setIdpFaults = (faults: Partial<IdpFaults>) => this.call<EngineState>('PUT', 'idp/faults', faults);
  clearIdpFaults = () => this.call<EngineState>('DELETE', 'idp/faults');
  refreshSession = (id: string) => this.call<SessionView>('POST', `sessions/${enc(id)}/refresh`);
  signOutSession = (id: string) => this.call<void>('DELETE', `sessions/${enc(id)}`);

  setSimulation = (upstreamId: string, simulation: IdentitySimulation) =>
    this.call<EngineState>('PUT', `upstreams/${enc(upstreamId)}/simulation`, simulation);
  mintToken = (input: MintTokenInput) => this.call<MintedToken>('POST', 'tokens', input);
  endSimulation = (upstreamId: string) => this.call<EngineState>('DELETE', `upstreams/${enc(upstreamId)}/simulation`);

  listRequests = (filter: { upstream?: string; decision?: Decision; limit?: number } = {}) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') q.set(k, String(v));
    const qs = q.toString();
    return this.call<RequestLogEntry[]>('GET', `requests${qs ? `?${qs}` : ''}`);
  };

  checkPort = (host: string, port: number, upstreamId?: string) =>
    this.call<CheckResult>('POST', 'checks/port', { host, port, ...(upstreamId ? { upstreamId } : {}) });
  checkTarget = (target: string) => this.call<CheckResult>('POST', 'checks/target', { target });
  checkIssuer = (issuer: string) => this.call<CheckResult>('POST', 'checks/issuer', { issuer });
  testRoute = (upstreamId: string, method: string, path: string) =>
    this.call<RouteTest>('POST', 'checks/route', { upstreamId, method, path });
  previewHeaders = (upstreamId: string, sessionId?: string) =>
    this.call<Record<string, string>>('POST', 'checks/headers', { upstreamId, ...(sessionId ? { sessionId } : {}) });
  explainRequest = (input: ExplainInput) => this.call<Explanation>('POST', 'checks/explain', input);

  previewImport = (text: string, format?: ImportFormat) => this.call<ImportPreview>('POST', 'import', { text, ...(format ? { format } : {}) });
  exportUpstream = (upstreamId: string, format: ExportFormat) =>
    this.call<ProductionExport>('GET', `upstreams/${enc(upstreamId)}/export?format=${enc(format)}`);

  subscribe(listener: (event: EngineEvent) => void): () => void {
    const stop = new AbortController();
    const reconnectMs = this.options.reconnectMs ?? 3000;
    // What was sent while the stream was down is lost: once it is back, a fresh state stands in
    // for the missed events, unless one came anyway.
    let dropped = false;
    let statesSeen = 0;
    const report = (message: string) => listener({ type: 'error', scope: LIVE_CONNECTION_SCOPE, message });
    const onData = (data: string) => {
      const event = JSON.parse(data) as EngineEvent;
      if (event.type === 'state') statesSeen++;
      listener(event);
    };
    const run = async () => {
      while (!stop.signal.aborted) {
        try {
          const res = await fetch(`${this.base}/events`, { headers: this.headers(false), credentials: 'omit', cache: 'no-store', signal: stop.signal });
          if (res.status === 401 || res.status === 403 || res.status === 421) {
            const data: unknown = await res.json().catch(() => undefined);
            report(`the live connection to Portcullis was refused: ${apiErrorFromResponse(res.status, data).message}`);
            return;
          }
          if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
          if (dropped) {
            dropped = false;
            const seen = statesSeen;
            this.getState().then(
              (state) => statesSeen === seen && listener({ type: 'state', state }),
              () => undefined,
            );
          }
          await readEventStream(res.body, onData);
        } catch {
          // a refused or broken connection: reconnect below, unless unsubscribed
        }
        if (stop.signal.aborted) return;
        dropped = true;
        report('the live connection to Portcullis dropped; reconnecting…');
        await new Promise((resolve) => setTimeout(resolve, reconnectMs));
      }
    };
    void run();
    return () => stop.abort();
  }
}
