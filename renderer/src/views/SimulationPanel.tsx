// Identity simulation for one upstream: run it as if the signed-in user had exactly the
// groups and roles ticked here, with claims merged over the real ones; ending it brings the
// real identity back at once. Parts left real are not sent (docs/control-api.md, "Simulation").
import { useState } from 'react';
import type { EngineState, IdentitySimulation } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { Field } from '../components/Field.tsx';
import { describeSimulation } from '../components/SimulationBanner.tsx';
import { claimsText, readClaimsJson } from '../lib/claims-json.ts';
import { SimulationToggles, type TogglesValue } from './SimulationToggles.tsx';

type Upstream = EngineState['upstreams'][number];

interface Draft {
  groups: TogglesValue;
  roles: TogglesValue;
  claims: string;
}

/** The form for a running simulation, or for none: groups start ticked as known, roles and claims real. */
function draftOf(active: IdentitySimulation | undefined, knownGroups: string[], knownRoles: string[]): Draft {
  return {
    groups: { keepReal: active !== undefined && active.groups === undefined, chosen: active?.groups ?? knownGroups },
    roles: { keepReal: active?.roles === undefined, chosen: active?.roles ?? knownRoles },
    claims: claimsText(active?.claims),
  };
}

interface Props {
  upstream: Upstream;
  knownGroups: string[];
  knownRoles: string[];
}

export function SimulationPanel({ upstream: u, knownGroups, knownRoles }: Props) {
  const api = useApi();
  const live = useLive();
  const active = u.status.simulation;
  const [draft, setDraft] = useState<Draft>(() => draftOf(active, knownGroups, knownRoles));
  // A simulation started, changed or ended elsewhere (another window, the tray, the API) resets the form to it.
  const simulated = active ? JSON.stringify(active) : null;
  const [shown, setShown] = useState(simulated);
  if (shown !== simulated) {
    setShown(simulated);
    setDraft(draftOf(active, knownGroups, knownRoles));
  }
  const [error, setError] = useState<string | null>(null);
  const claims = readClaimsJson(draft.claims, { refuseProtocolClaims: false });

  const simulation: IdentitySimulation = {
    ...(draft.groups.keepReal ? {} : { groups: [...draft.groups.chosen].sort() }),
    ...(draft.roles.keepReal ? {} : { roles: [...draft.roles.chosen].sort() }),
    ...(claims.ok && claims.claims ? { claims: claims.claims } : {}),
  };
  const nothing = Object.keys(simulation).length === 0;
  const run = (call: () => Promise<EngineState>) => {
    call().then((s) => (live.apply(s), setError(null)), (e: unknown) => setError(errorMessage(e)));
  };

  return (
    <li className={`card ${active ? 'card-sim' : ''}`} aria-label={`Simulation for ${u.id}`}>
      <div className="upstream-head">
        <h3>{u.name ?? u.id}</h3>
        {active ? <span className="badge badge-sim">simulating: {describeSimulation(active)}</span> : <span className="badge">real identity</span>}
      </div>
      <SimulationToggles noun="group" upstreamId={u.id} known={knownGroups} value={draft.groups} onChange={(groups) => setDraft((d) => ({ ...d, groups }))} />
      <SimulationToggles noun="role" upstreamId={u.id} known={knownRoles} value={draft.roles} onChange={(roles) => setDraft((d) => ({ ...d, roles }))} />
      <Field label={`Claims to merge over the real ones on ${u.id} (JSON)`} error={claims.ok ? undefined : claims.problem} hint='Empty: the real claims, e.g. { "tid": "other-tenant" }'>
        <textarea rows={3} value={draft.claims} onChange={(e) => setDraft((d) => ({ ...d, claims: e.target.value }))} spellCheck={false} />
      </Field>
      <div className="actions">
        <button type="button" className="primary" disabled={nothing || !claims.ok} onClick={() => run(() => api.setSimulation(u.id, simulation))}>
          {active ? 'Update simulation' : 'Start simulation'}
        </button>
        {active && <button type="button" onClick={() => run(() => api.endSimulation(u.id))}>End simulation</button>}
        {nothing && <span className="note note-muted">Untick a “Keep the real …” box or give claims to simulate something.</span>}
        {error && <span className="note note-bad" role="alert">{error}</span>}
      </div>
    </li>
  );
}
