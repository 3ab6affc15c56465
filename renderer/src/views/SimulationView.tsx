// Identity simulation across upstreams; the groups and roles offered come from sessions, rules
// and personas (their claims read through the provider's roles claim).
import { claimList, type EngineState } from '../../../electron/engine/api.ts';
import { useLive } from '../api/context.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { FaultsPanel } from './FaultsPanel.tsx';
import { SimulationPanel } from './SimulationPanel.tsx';

type Upstream = EngineState['upstreams'][number];

function sorted(names: Iterable<string>): string[] {
  return [...new Set(names)].sort();
}

function knownGroups(state: EngineState, u: Upstream): string[] {
  return sorted([
    ...u.allowedGroups,
    ...(u.rules ?? []).flatMap((r) => r.allowedGroups ?? []),
    ...state.sessions.filter((s) => s.upstreamId === u.id).flatMap((s) => s.groups),
    ...state.personas.flatMap((p) => p.groups),
  ]);
}

function knownRoles(state: EngineState, u: Upstream): string[] {
  const provider = state.providers.find((p) => p.id === u.provider);
  const rolesClaim = (provider && 'rolesClaim' in provider && provider.rolesClaim) || 'roles';
  const personaRoles = provider?.type === 'builtin' ? state.personas.flatMap((p) => claimList(p.claims ?? {}, rolesClaim) ?? []) : [];
  return sorted([...u.allowedRoles, ...state.sessions.filter((s) => s.upstreamId === u.id).flatMap((s) => s.roles ?? []), ...personaRoles]);
}

export function SimulationView() {
  const state = useLive().state;
  const upstreams = state?.upstreams ?? [];
  return (
    <section aria-labelledby="sim-h">
      <h2 id="sim-h">Identity simulation</h2>
      <p className="meta">See what a user with other groups, roles or claims would get, without changing anyone's real identity.</p>
      {upstreams.length === 0 || !state ? (
        <EmptyState title="No upstreams to simulate on" />
      ) : (
        <ul className="list">
          {upstreams.map((u) => <SimulationPanel key={u.id} upstream={u} knownGroups={knownGroups(state, u)} knownRoles={knownRoles(state, u)} />)}
        </ul>
      )}
      <FaultsPanel />
    </section>
  );
}
