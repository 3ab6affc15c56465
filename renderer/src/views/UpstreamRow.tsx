// One upstream in the list: live status, counts, the URL to open, and its actions.
import { useState } from 'react';
import type { EngineState } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { ListenerError } from '../components/ListenerError.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { SignInLinks } from '../components/SignInLinks.tsx';
import { TargetStatus } from '../components/TargetStatus.tsx';
import { ExportPanel } from './ExportPanel.tsx';

type Row = EngineState['upstreams'][number];

interface Props {
  upstream: Row;
  builtin: boolean;
  onEdit: () => void;
  onError: (message: string) => void;
}

export function UpstreamRow({ upstream: u, builtin, onEdit, onError }: Props) {
  const api = useApi();
  const live = useLive();
  const run = (call: () => Promise<EngineState>) => () => {
    call().then(live.apply, (e: unknown) => onError(`${u.id}: ${(e as Error).message}`));
  };
  const [exporting, setExporting] = useState(false);
  const running = u.status.state === 'running' || u.status.state === 'starting';
  const remove = () => {
    if (window.confirm(`Remove upstream ${u.id}? Its listener stops and its settings are deleted.`)) run(() => api.removeUpstream(u.id))();
  };

  return (
    <li className="card upstream" aria-label={`Upstream ${u.id}`}>
      <div className="upstream-head">
        <h3>{u.name ?? u.id}</h3>
        <StatusBadge state={u.status.state} />
        {u.status.simulation && <span className="badge badge-sim">simulating</span>}
      </div>
      <p className="route">
        <a href={u.status.url} target="_blank" rel="noopener noreferrer">{u.status.url}</a>
        <span aria-hidden="true"> → </span>
        <span className="visually-hidden"> proxies to </span>
        <code>{u.target}</code>
      </p>
      <TargetStatus target={u.target} status={u.status} />
      {u.status.paths && u.status.paths.length > 0 && (
        <ul className="path-targets" aria-label={`Paths of ${u.id}`}>
          {u.status.paths.map((p) => (
            <li key={p.path}>
              <code>{p.path}</code> → <code>{p.target}</code> · {p.requestCount} requests
              <TargetStatus target={p.target} status={{ ...u.status, targetReachable: p.targetReachable }} />
            </li>
          ))}
        </ul>
      )}
      <ListenerError status={u.status} />
      <p className="meta">
        id <code>{u.id}</code> · provider <code>{u.provider}</code> · {u.status.requestCount} requests
        {u.allowedGroups.length > 0 && <> · groups {u.allowedGroups.join(', ')}</>}
      </p>
      <div className="actions">
        {running ? (
          <button type="button" onClick={run(() => api.stopUpstream(u.id))}>Stop</button>
        ) : (
          <button type="button" onClick={run(() => api.startUpstream(u.id))}>Start</button>
        )}
        <button type="button" onClick={onEdit}>Edit</button>
        <button type="button" className="danger" onClick={remove}>Remove</button>
        <button type="button" aria-expanded={exporting} onClick={() => setExporting(!exporting)}>
          Production config {exporting ? '▾' : '▸'}
        </button>
        {u.status.state === 'running' && <SignInLinks upstreamId={u.id} builtin={builtin} />}
      </div>
      {exporting && <ExportPanel upstreamId={u.id} />}
    </li>
  );
}
