// Keeps the engine state and the request log current: one load, then the event stream.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ControlApi, EngineState, RequestLogEntry } from '../../../electron/engine/api.ts';
import { errorMessage } from './errors.ts';
import { LIVE_CONNECTION_SCOPE, stillStanding, withNotice, withoutScope, type Notice } from './notices.ts';

/** The log keeps this many rows; the view is virtualised for it. */
export const LOG_CAPACITY = 10_000;

export interface LiveEngine {
  state: EngineState | null;
  requests: RequestLogEntry[];
  /** Why loading the state failed, if it did; Retry (reload) tries again. */
  loadError: string | null;
  /** Problems reported while running, one per scope, until dismissed or resolved by a newer state. */
  notices: Notice[];
  dismiss: (scope: string) => void;
  /** Puts a state returned by a call in place without waiting for its event. */
  apply: (state: EngineState) => void;
  reload: () => void;
}

export function useLiveEngine(api: ControlApi): LiveEngine {
  const [state, setState] = useState<EngineState | null>(null);
  const [requests, setRequests] = useState<RequestLogEntry[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [generation, setGeneration] = useState(0);
  // Set while the event stream is down: the request events sent meanwhile are lost.
  const streamDropped = useRef(false);

  useEffect(() => {
    let live = true;
    // A state event that beats the initial load is newer than the loaded state: keep it.
    let stateEventSeen = false;
    const loadRequests = () =>
      api.listRequests({ limit: LOG_CAPACITY }).then((r) => live && setRequests((held) => mergeBySeq(r, held)));
    const unsubscribe = api.subscribe((event) => {
      if (!live) return;
      switch (event.type) {
        case 'state':
          stateEventSeen = true;
          setState(event.state);
          setNotices((n) => stillStanding(n, event.state));
          if (streamDropped.current) {
            streamDropped.current = false;
            loadRequests().catch(() => undefined);
          }
          break;
        case 'request':
          setRequests((rows) => appendCapped(rows, event.entry));
          setState((s) => s && countRequest(s, event.entry.upstreamId));
          break;
        case 'session-started':
          setState((s) => s && { ...s, sessions: [...s.sessions.filter((x) => x.id !== event.session.id), event.session] });
          break;
        case 'session-ended':
          setState((s) => s && { ...s, sessions: s.sessions.filter((x) => x.id !== event.sessionId) });
          break;
        case 'session-expiring':
          break;
        case 'error':
          if (event.scope === LIVE_CONNECTION_SCOPE) streamDropped.current = true;
          setNotices((n) => withNotice(n, { scope: event.scope, message: event.message }));
          break;
      }
    });
    Promise.all([api.getState(), loadRequests()])
      .then(([s]) => {
        if (!live) return;
        if (!stateEventSeen) setState(s);
        setLoadError(null);
      })
      .catch((e: unknown) => live && setLoadError(errorMessage(e)));
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api, generation]);

  const apply = useCallback((s: EngineState) => setState(s), []);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const dismiss = useCallback((scope: string) => setNotices((n) => withoutScope(n, scope)), []);
  return { state, requests, loadError, notices, dismiss, apply, reload };
}

/** The upstream's count goes up with each request event, as the engine's own total does. */
function countRequest(state: EngineState, upstreamId: string): EngineState {
  return {
    ...state,
    upstreams: state.upstreams.map((u) => (u.id === upstreamId ? { ...u, status: { ...u.status, requestCount: u.status.requestCount + 1 } } : u)),
  };
}

function appendCapped(rows: RequestLogEntry[], entry: RequestLogEntry): RequestLogEntry[] {
  const next = rows.length >= LOG_CAPACITY ? rows.slice(rows.length - LOG_CAPACITY + 1) : rows.slice();
  next.push(entry);
  return next;
}

/** Rows loaded and rows that arrived as events meanwhile, once each, in order. */
function mergeBySeq(loaded: RequestLogEntry[], held: RequestLogEntry[]): RequestLogEntry[] {
  const bySeq = new Map<number, RequestLogEntry>();
  for (const r of [...loaded, ...held]) bySeq.set(r.seq, r);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-LOG_CAPACITY);
}
