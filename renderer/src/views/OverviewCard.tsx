// One upstream on the overview: "port → target", whether the app behind it answers, why its
// listener is down if it is (with a way to try again), and the one-click sign-in.
import { useState } from 'react';
import type { EngineState } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { ListenerError } from '../components/ListenerError.tsx';
import { SignInLinks } from '../components/SignInLinks.tsx';
import { SignedInSessions } from '../components/SwitchPersona.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { TargetStatus } from '../components/TargetStatus.tsx';

type Upstream = EngineState['upstreams'][number];

export function OverviewCard({ upstream: u, builtin }: { upstream: Upstream; builtin: boolean }) {
  const api = useApi();
  const live = useLive();
  const [failure, setFailure] = useState<string | null>(null);
  const { state } = u.status;
  const sessions = (live.state?.sessions ?? []).filter((s) => s.upstreamId === u.id);
  const start = () => {
    setFailure(null);
    api.startUpstream(u.id).then(live.apply, (e: unknown) => setFailure(errorMessage(e)));
  };
  return (
    <li className="card overview" aria-label={`Overview of ${u.id}`}>
      <div className="upstream-head">
        <h3>{u.name ?? u.id}</h3>
        <StatusBadge state={state} />
      </div>
      <p className="big-route">
        <span>{portOf(u.status.url)}</span> <span aria-label="forwards to">→</span> <span>{portOf(u.target)}</span>
      </p>
      <p className="meta">
        <a href={u.status.url} target="_blank" rel="noopener noreferrer">{u.status.url}</a> in front of <code>{u.target}</code>
      </p>
      <TargetStatus target={u.target} status={u.status} />
      <ListenerError status={u.status} />
      {failure && <p className="note note-bad">{failure}</p>}
      {sessions.length > 0 && <SignedInSessions sessions={sessions} />}
      {state === 'running' && <SignInLinks upstreamId={u.id} builtin={builtin} featured={sessions.length === 0} />}
      {(state === 'stopped' || state === 'error') && (
        <div className="actions">
          <button type="button" className="primary" onClick={start}>{state === 'error' ? 'Try again' : 'Start'}</button>
          <a href="#/upstreams">Change the port or target under Upstreams</a>
        </div>
      )}
    </li>
  );
}

function portOf(url: string): string {
  try {
    const u = new URL(url);
    return u.port || (u.protocol === 'https:' ? '443' : '80');
  } catch {
    return url;
  }
}
