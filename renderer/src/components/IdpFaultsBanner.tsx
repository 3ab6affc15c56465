// Stays on screen while the built-in identity provider has faults set (the fault lab), as the
// simulation banner does, with a way to clear them.
import type { IdpFaults } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';

export function describeFaults(f: IdpFaults): string {
  const parts = [
    f.signIn && `sign-in answers ${f.signIn}`,
    f.refresh && `refresh answers ${f.refresh}`,
    f.latencyMs > 0 && `${f.latencyMs} ms latency`,
    f.down && 'down',
  ].filter(Boolean);
  return parts.join(', ');
}

export function IdpFaultsBanner() {
  const api = useApi();
  const live = useLive();
  const faults = live.state?.idpFaults;
  if (!faults) return null;
  return (
    <div className="sim-banner" role="status">
      Built-in identity provider faults: {describeFaults(faults)}.{' '}
      <button type="button" onClick={() => void api.clearIdpFaults().then(live.apply)}>Clear faults</button>
    </div>
  );
}
