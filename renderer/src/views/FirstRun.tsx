// The overview a new user lands on: each upstream as "port → target", whether the app
// behind it answers, and a one-click sign-in, so the first signed-in request is three clicks away.
import { useLive } from '../api/context.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { OverviewCard } from './OverviewCard.tsx';

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
          {upstreams.map((u) => <OverviewCard key={u.id} upstream={u} builtin={builtinIds.has(u.provider)} />)}
        </ol>
      )}
      {state?.secretStorageWarning && (
        <div className="callout callout-warn" role="note" aria-labelledby="secrets-warning-h">
          <strong id="secrets-warning-h">Secrets are weakly protected</strong>
          <p>{state.secretStorageWarning}</p>
        </div>
      )}
      {state && <p className="meta">Settings are saved to <code>{state.settingsPath}</code>.</p>}
    </section>
  );
}
