// The overview a new user lands on: each upstream as "port → target", whether the app
// behind it answers, and a one-click sign-in, so the first signed-in request is three clicks away.
import { useLive } from '../api/context.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { SignInLinks } from '../components/SignInLinks.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { TargetStatus } from '../components/TargetStatus.tsx';

export function FirstRun() {
  const state = useLive().state;
  const upstreams = state?.upstreams ?? [];
  const builtinIds = new Set((state?.providers ?? []).filter((p) => p.type === 'builtin').map((p) => p.id));
  return (
    <section aria-labelledby="overview-h">
      <h2 id="overview-h">Overview</h2>
      {upstreams.length === 0 ? (
        <EmptyState title="Nothing is protected yet">
          <p>Add an upstream in front of an app you run to put sign-in in front of it.</p>
        </EmptyState>
      ) : (
        <ol className="list">
          {upstreams.map((u) => (
            <li key={u.id} className="card overview" aria-label={`Overview of ${u.id}`}>
              <div className="upstream-head">
                <h3>{u.name ?? u.id}</h3>
                <StatusBadge state={u.status.state} />
              </div>
              <p className="big-route">
                <span>{portOf(u.status.url)}</span> <span aria-label="forwards to">→</span> <span>{portOf(u.target)}</span>
              </p>
              <p className="meta">
                <a href={u.status.url} target="_blank" rel="noopener noreferrer">{u.status.url}</a> in front of <code>{u.target}</code>
              </p>
              <TargetStatus target={u.target} status={u.status} />
              {u.status.state === 'running' && <SignInLinks upstreamId={u.id} builtin={builtinIds.has(u.provider)} featured />}
            </li>
          ))}
        </ol>
      )}
      {state?.secretStorageWarning && <p className="note note-warn">{state.secretStorageWarning}</p>}
      {state && <p className="meta">Settings are saved to <code>{state.settingsPath}</code>.</p>}
    </section>
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
