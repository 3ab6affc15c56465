// One logged request, absolutely placed by the virtualiser, and the header row naming its columns.
import type { RequestLogEntry } from '../../../electron/engine/api.ts';
import { formatTime } from '../lib/format.ts';

export const ROW_HEIGHT = 36;

/** The columns, in the order the cells below fill them. */
const COLUMNS = [['c-time', 'Time'], ['c-up', 'Upstream'], ['c-req', 'Request'], ['c-status', 'Status'], ['c-decision', 'Decision'], ['c-reason', 'Reason'], ['c-explain', 'Explain']];

export function RequestHeaderRow() {
  return (
    <div className="log-row log-header" role="row" aria-rowindex={1} style={{ height: ROW_HEIGHT }}>
      {COLUMNS.map(([className, title]) => <span key={title} role="columnheader" className={className}>{title}</span>)}
    </div>
  );
}

/** `index` counts data rows from 0; the header row is row 1. */
/** `onExplain` replays the row's request against the current settings ("Explain"). */
export function RequestRow({ entry: r, top, index, onExplain }: { entry: RequestLogEntry; top: number; index: number; onExplain?: (entry: RequestLogEntry) => void }) {
  return (
    <div className={`log-row decision-${r.decision}`} role="row" aria-rowindex={index + 2} style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}>
      <span role="cell" className="c-time">{formatTime(r.time)}</span>
      <span role="cell" className="c-up">{r.upstreamId}</span>
      <span role="cell" className="c-req"><b>{r.method}</b> {r.path}</span>
      <span role="cell" className="c-status">{r.status}</span>
      <span role="cell" className="c-decision"><span className={`badge badge-${r.decision}`}>{r.decision}</span>{r.simulated && <span className="badge badge-sim">sim</span>}</span>
      <span role="cell" className="c-reason" title={r.reason}>{r.reason}{r.user ? ` — ${r.user}` : ''}</span>
      <span role="cell" className="c-explain">
        {onExplain && <button type="button" className="link" onClick={() => onExplain(r)} aria-label={`Explain ${r.method} ${r.path}`}>Explain</button>}
      </span>
    </div>
  );
}
