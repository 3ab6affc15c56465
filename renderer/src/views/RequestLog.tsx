// The live request log: every request's decision and the reason in words, filterable,
// virtualised so that ten thousand rows scroll smoothly.
import { useMemo, useRef, useState } from 'react';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import type { Decision, EngineState, ExplainInput, RequestLogEntry } from '../../../electron/engine/api.ts';
import { useLive } from '../api/context.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { ExplainPanel } from './ExplainPanel.tsx';
import { RequestHeaderRow, RequestRow, ROW_HEIGHT } from './RequestRow.tsx';

// Until the scroller is measured (and in DOMs without layout) assume a typical viewport.
const TYPICAL_RECT = { width: 900, height: 480 };

const DECISIONS: Decision[] = ['allowed', 'denied', 'unauthenticated', 'public', 'endpoint', 'error'];

export function RequestLog() {
  const live = useLive();
  const [upstream, setUpstream] = useState('');
  const [decision, setDecision] = useState('');
  const rows = useMemo(
    () => live.requests.filter((r) => (!upstream || r.upstreamId === upstream) && (!decision || r.decision === decision)).reverse(),
    [live.requests, upstream, decision],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const [explaining, setExplaining] = useState<RequestLogEntry | null>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    // The sticky header row sits above the rows inside the same scroller.
    scrollMargin: ROW_HEIGHT,
    overscan: 10,
    initialRect: TYPICAL_RECT,
    observeElementRect: (instance, cb) => observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : TYPICAL_RECT)),
  });

  return (
    <section aria-labelledby="log-h" className="log">
      <div className="section-head">
        <h2 id="log-h">Request log</h2>
        <div className="inline">
          <label htmlFor="log-upstream">Upstream</label>
          <select id="log-upstream" value={upstream} onChange={(e) => setUpstream(e.target.value)}>
            <option value="">all</option>
            {(live.state?.upstreams ?? []).map((u) => <option key={u.id} value={u.id}>{u.id}</option>)}
          </select>
          <label htmlFor="log-decision">Decision</label>
          <select id="log-decision" value={decision} onChange={(e) => setDecision(e.target.value)}>
            <option value="">all</option>
            {DECISIONS.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
          <span className="meta" aria-live="polite">{rows.length} rows</span>
        </div>
      </div>
      {explaining && (
        <div className="log-explain">
          <ExplainPanel upstreamId={explaining.upstreamId} initial={replayOf(explaining, live.state)} />
          <button type="button" onClick={() => setExplaining(null)}>Close the explanation</button>
        </div>
      )}
      {rows.length === 0 ? (
        <EmptyState title={live.requests.length ? 'No requests match the filter' : 'No requests yet'}>
          <p>Requests through any upstream appear here as they happen, newest first.</p>
        </EmptyState>
      ) : (
        // Focusable so the keyboard can scroll it; the row count includes the header row.
        <div className="log-scroller" ref={scroller} role="table" aria-label="Requests, newest first" aria-rowcount={rows.length + 1} tabIndex={0}>
          <div className="log-head" role="rowgroup">
            <RequestHeaderRow />
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="rowgroup">
            {virtualizer.getVirtualItems().map((item) => (
              <RequestRow key={rows[item.index].seq} entry={rows[item.index]} top={item.start - virtualizer.options.scrollMargin} index={item.index} onExplain={setExplaining} />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

/** Replays a logged request as who made it: their session on that upstream if it still runs, else the persona with their email, else anonymous. */
function replayOf(entry: RequestLogEntry, state: EngineState | null): Omit<ExplainInput, 'upstream'> {
  const session = entry.user ? state?.sessions.find((s) => s.upstreamId === entry.upstreamId && s.email === entry.user) : undefined;
  const persona = entry.user ? state?.personas.find((p) => p.email === entry.user) : undefined;
  const who = session ? `session:${session.id}` : persona?.username;
  return { method: entry.method, path: entry.path, ...(who ? { persona: who } : {}) };
}
