// Group simulation across upstreams; known groups come from sessions, rules and personas.
import { useLive } from '../api/context.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { FaultsPanel } from './FaultsPanel.tsx';
import { SimulationPanel } from './SimulationPanel.tsx';

export function SimulationView() {
  const state = useLive().state;
  const upstreams = state?.upstreams ?? [];
  return (
    <section aria-labelledby="sim-h">
      <h2 id="sim-h">Group simulation</h2>
      <p className="meta">See what a user with other groups would get, without changing anyone's real groups.</p>
      {upstreams.length === 0 ? (
        <EmptyState title="No upstreams to simulate on" />
      ) : (
        <ul className="list">
          {upstreams.map((u) => {
            const known = new Set<string>([
              ...u.allowedGroups,
              ...(state?.sessions ?? []).filter((s) => s.upstreamId === u.id).flatMap((s) => s.groups),
              ...(state?.personas ?? []).flatMap((p) => p.groups),
            ]);
            return <SimulationPanel key={u.id} upstream={u} knownGroups={[...known].sort()} />;
          })}
        </ul>
      )}
      <FaultsPanel />
    </section>
  );
}
