// One list part of an identity simulation (groups or roles): keep the real ones, or tick
// exactly the ones to simulate among those known, adding any other by name.
import { useId, useState } from 'react';

export interface TogglesValue {
  /** Leave this part as the provider says (not simulated). */
  keepReal: boolean;
  chosen: string[];
}

interface Props {
  /** `group` or `role`, as the labels say it. */
  noun: 'group' | 'role';
  upstreamId: string;
  known: string[];
  value: TogglesValue;
  onChange: (value: TogglesValue) => void;
}

export function SimulationToggles({ noun, upstreamId, known, value, onChange }: Props) {
  const id = useId();
  const [extra, setExtra] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const names = [...new Set([...known, ...value.chosen, ...extra])].sort();
  const toggle = (name: string, on: boolean) =>
    onChange({ ...value, chosen: on ? [...value.chosen.filter((c) => c !== name), name] : value.chosen.filter((c) => c !== name) });
  const addTyped = () => {
    const name = typed.trim();
    if (!name) return;
    setExtra((x) => [...x, name]);
    toggle(name, true);
    setTyped('');
  };
  return (
    <fieldset className="groups">
      <legend>{noun === 'group' ? 'Groups' : 'Roles'} to simulate on {upstreamId}</legend>
      <label className="check">
        <input type="checkbox" checked={value.keepReal} onChange={(e) => onChange({ ...value, keepReal: e.target.checked })} />
        Keep the real {noun}s
      </label>
      {!value.keepReal && names.length === 0 && <p className="note note-muted">No {noun}s known yet: type one below.</p>}
      {!value.keepReal &&
        names.map((name) => (
          <label key={name} className="check">
            <input type="checkbox" checked={value.chosen.includes(name)} onChange={(e) => toggle(name, e.target.checked)} />
            {name}
          </label>
        ))}
      {!value.keepReal && (
        <div className="inline">
          <label htmlFor={`${id}-add`}>Another {noun}</label>
          <input id={`${id}-add`} value={typed} onChange={(e) => setTyped(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), addTyped())} />
          <button type="button" onClick={addTyped}>Add</button>
        </div>
      )}
    </fieldset>
  );
}
