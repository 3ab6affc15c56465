// ControlApi over the headless console's HTTP + SSE transport (docs/control-api.md). The token
// travels in the HttpOnly cookie that the printed console URL set, never in script.
import type {
  CheckResult, ControlApi, Decision, EngineEvent, EngineState, ExplainInput, Explanation, Persona, ProviderInput,
  RequestLogEntry, RouteTest, SessionView, UpstreamInput,
} from '../../../electron/engine/api.ts';
import { apiErrorFromResponse } from './errors.ts';
import { LIVE_CONNECTION_SCOPE } from './notices.ts';

const enc = encodeURIComponent;

export class HttpControlApi implements ControlApi {
  constructor(private readonly base = '/api/v1') {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
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

  signInUrl = async (upstreamId: string, persona?: string) => {
    const q = persona ? `?persona=${enc(persona)}` : '';
    return (await this.call<{ url: string }>('GET', `upstreams/${enc(upstreamId)}/sign-in${q}`)).url;
  };
  listSessions = () => this.call<SessionView[]>('GET', 'sessions');
  refreshSession = (id: string) => this.call<SessionView>('POST', `sessions/${enc(id)}/refresh`);
  signOutSession = (id: string) => this.call<void>('DELETE', `sessions/${enc(id)}`);

  setSimulation = (upstreamId: string, groups: string[]) =>
    this.call<EngineState>('PUT', `upstreams/${enc(upstreamId)}/simulation`, { groups });
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

  subscribe(listener: (event: EngineEvent) => void): () => void {
    const source = new EventSource(`${this.base}/events`, { withCredentials: true });
    // The browser reconnects a dropped stream by itself, but what was sent meanwhile is lost:
    // once it is back, a fresh state stands in for the missed events, unless one came anyway.
    let dropped = false;
    let statesSeen = 0;
    source.onopen = () => {
      if (!dropped) return;
      dropped = false;
      const seen = statesSeen;
      this.getState().then(
        (state) => statesSeen === seen && listener({ type: 'state', state }),
        () => undefined,
      );
    };
    source.onmessage = (msg: MessageEvent<string>) => {
      const event = JSON.parse(msg.data) as EngineEvent;
      if (event.type === 'state') statesSeen++;
      listener(event);
    };
    source.onerror = () => {
      dropped = true;
      const closed = source.readyState === EventSource.CLOSED;
      listener({
        type: 'error',
        scope: LIVE_CONNECTION_SCOPE,
        message: closed ? 'the live connection to Portcullis closed; reload the page to reconnect' : 'the live connection to Portcullis dropped; reconnecting…',
      });
    };
    return () => source.close();
  }
}
