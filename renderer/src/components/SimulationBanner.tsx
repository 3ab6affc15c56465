// Stays on screen while any upstream runs with a simulated identity, so nobody forgets; it says
// which parts (groups, roles, claims) are simulated, as the X-Portcullis-Simulated header does.
import type { IdentitySimulation } from '../../../electron/engine/api.ts';
import { useLive } from '../api/context.ts';

/** The simulated parts in words: `groups [devs], roles [reporter], claims {"tid":"t2"}`. */
export function describeSimulation(sim: IdentitySimulation): string {
  const parts: string[] = [];
  if (sim.groups) parts.push(`groups [${sim.groups.join(', ') || 'none'}]`);
  if (sim.roles) parts.push(`roles [${sim.roles.join(', ') || 'none'}]`);
  if (sim.claims) parts.push(`claims ${JSON.stringify(sim.claims)}`);
  return parts.join(', ');
}

function parts(sim: IdentitySimulation): string {
  return (['groups', 'roles', 'claims'] as const).filter((p) => sim[p] !== undefined).join(',');
}

export function SimulationBanner() {
  const { state } = useLive();
  const active = (state?.upstreams ?? []).filter((u) => u.status.simulation);
  if (active.length === 0) return null;
  return (
    <div className="sim-banner" role="status">
      Identity simulation active:{' '}
      {active.map((u) => `${u.id} → ${describeSimulation(u.status.simulation!)}`).join('; ')}. Requests carry the simulated identity and the
      header <code>X-Portcullis-Simulated: {[...new Set(active.map((u) => parts(u.status.simulation!)))].join('; ')}</code>.
    </div>
  );
}
