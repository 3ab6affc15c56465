// Keeps the engine state and the request log current: one load, then the event stream.
import { useCallback, useEffect, useState } from 'react';
import type { ControlApi, EngineState, RequestLogEntry } from '../../../electron/engine/api.ts';
import { errorMessage } from './errors.ts';

/** The log keeps this many rows; the view is virtualised for it. */
export const LOG_CAPACITY = 10_000;

export interface LiveEngine {
  state: EngineState | null;
  requests: RequestLogEntry[];
  /** Why loading or the live stream failed, if it did. */
  error: string | null;
  /** Puts a state returned by a call in place without waiting for its event. */
  apply: (state: EngineState) => void;
  reload: () => void;
}

export function useLiveEngine(api: ControlApi): LiveEngine {
  const [state, setState] = useState<EngineState | null>(null);
  const [requests, setRequests] = useState<RequestLogEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    // A state event that beats the initial load is newer than the loaded state: keep it.
    let stateEventSeen = false;
    const unsubscribe = api.subscribe((event) => {
      if (!live) return;
      switch (event.type) {
        case 'state':
          stateEventSeen = true;
          setState(event.state);
          break;
        case 'request':
          setRequests((rows) => appendCapped(rows, event.entry));
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
          setError(`${event.scope}: ${event.message}`);
          break;
      }
    });
    Promise.all([api.getState(), api.listRequests({ limit: LOG_CAPACITY })])
      .then(([s, r]) => {
        if (!live) return;
        if (!stateEventSeen) setState(s);
        // Events may have arrived while loading: merge by sequence number.
        setRequests((early) => mergeBySeq(r, early));
        setError(null);
      })
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api, generation]);

  const apply = useCallback((s: EngineState) => setState(s), []);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, requests, error, apply, reload };
}

function appendCapped(rows: RequestLogEntry[], entry: RequestLogEntry): RequestLogEntry[] {
  const next = rows.length >= LOG_CAPACITY ? rows.slice(rows.length - LOG_CAPACITY + 1) : rows.slice();
  next.push(entry);
  return next;
}

function mergeBySeq(loaded: RequestLogEntry[], early: RequestLogEntry[]): RequestLogEntry[] {
  const bySeq = new Map<number, RequestLogEntry>();
  for (const r of [...loaded, ...early]) bySeq.set(r.seq, r);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-LOG_CAPACITY);
}
