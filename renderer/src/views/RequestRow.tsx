// One logged request, absolutely placed by the virtualiser.
import type { RequestLogEntry } from '../../../electron/engine/api.ts';
import { formatTime } from '../lib/format.ts';

export const ROW_HEIGHT = 36;

export function RequestRow({ entry: r, top, index }: { entry: RequestLogEntry; top: number; index: number }) {
  return (
    <div className={`log-row decision-${r.decision}`} role="row" aria-rowindex={index + 1} style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}>
      <span role="cell" className="c-time">{formatTime(r.time)}</span>
      <span role="cell" className="c-up">{r.upstreamId}</span>
      <span role="cell" className="c-req"><b>{r.method}</b> {r.path}</span>
      <span role="cell" className="c-status">{r.status}</span>
      <span role="cell" className="c-decision"><span className={`badge badge-${r.decision}`}>{r.decision}</span>{r.simulated && <span className="badge badge-sim">sim</span>}</span>
      <span role="cell" className="c-reason" title={r.reason}>{r.reason}{r.user ? ` — ${r.user}` : ''}</span>
    </div>
  );
}
