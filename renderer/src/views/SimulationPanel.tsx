// Group simulation for one upstream: toggle any known group, run the upstream as if the
// signed-in user had exactly those, and end it to get the real groups back at once.
import { useState } from 'react';
import type { EngineState } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';

type Upstream = EngineState['upstreams'][number];

export function SimulationPanel({ upstream: u, knownGroups }: { upstream: Upstream; knownGroups: string[] }) {
  const api = useApi();
  const live = useLive();
  const active = u.status.simulation;
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(active?.groups ?? knownGroups));
  // A simulation started, changed or ended elsewhere (another window, the API) resets the boxes to it.
  const simulated = active ? JSON.stringify(active.groups) : null;
  const [shown, setShown] = useState(simulated);
  if (shown !== simulated) {
    setShown(simulated);
    setChosen(new Set(active?.groups ?? knownGroups));
  }
  const [extra, setExtra] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const groups = [...new Set([...knownGroups, ...(active?.groups ?? []), ...extra])].sort();

  const toggle = (g: string) => setChosen((c) => {
    const next = new Set(c);
    if (next.has(g)) next.delete(g);
    else next.add(g);
    return next;
  });
  const addTyped = () => {
    const g = typed.trim();
    if (!g) return;
    setExtra((x) => [...x, g]);
    setChosen((c) => new Set(c).add(g));
    setTyped('');
  };
  const run = (call: () => Promise<EngineState>) => {
    call().then((s) => (live.apply(s), setError(null)), (e: unknown) => setError(errorMessage(e)));
  };

  return (
    <li className={`card ${active ? 'card-sim' : ''}`} aria-label={`Simulation for ${u.id}`}>
      <div className="upstream-head">
        <h3>{u.name ?? u.id}</h3>
        {active ? <span className="badge badge-sim">simulating: {active.groups?.join(', ') ?? 'real groups'}</span> : <span className="badge">real groups</span>}
      </div>
      <fieldset className="groups">
        <legend>Groups to simulate on {u.id}</legend>
        {groups.length === 0 && <p className="note note-muted">No groups known yet: type one below.</p>}
        {groups.map((g) => (
          <label key={g} className="check">
            <input type="checkbox" checked={chosen.has(g)} onChange={() => toggle(g)} />
            {g}
          </label>
        ))}
      </fieldset>
      <div className="inline">
        <label htmlFor={`sim-add-${u.id}`}>Another group</label>
        <input id={`sim-add-${u.id}`} value={typed} onChange={(e) => setTyped(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), addTyped())} />
        <button type="button" onClick={addTyped}>Add</button>
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={() => run(() => api.setSimulation(u.id, { ...active, groups: [...chosen].filter((g) => groups.includes(g)) }))}>
          {active ? 'Update simulation' : 'Start simulation'}
        </button>
        {active && <button type="button" onClick={() => run(() => api.endSimulation(u.id))}>End simulation</button>}
        {error && <span className="note note-bad" role="alert">{error}</span>}
      </div>
    </li>
  );
}
