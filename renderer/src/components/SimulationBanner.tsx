// Stays on screen while any upstream runs with simulated groups, so nobody forgets.
import { useLive } from '../api/context.ts';

export function SimulationBanner() {
  const { state } = useLive();
  const active = (state?.upstreams ?? []).filter((u) => u.status.simulation);
  if (active.length === 0) return null;
  return (
    <div className="sim-banner" role="status">
      Group simulation active:{' '}
      {active.map((u) => `${u.id} → [${u.status.simulation!.groups.join(', ') || 'no groups'}]`).join('; ')}. Requests carry
      simulated groups and the header <code>X-Portcullis-Simulated: groups</code>.
    </div>
  );
}
