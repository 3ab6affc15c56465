// The built-in provider's personas: who you can sign in as, with which email and groups.
// Changes saved elsewhere (another window, the API, the config file) replace the table unless
// the user has unsaved edits; then they are offered, never forced on them.
import { useEffect, useState } from 'react';
import type { Persona } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { splitList } from '../lib/format.ts';

type Row = Omit<Persona, 'groups'> & { groups: string };

export function PersonasEditor() {
  const api = useApi();
  const live = useLive();
  const personas = live.state?.personas ?? [];
  const [base, setBase] = useState<Persona[]>(personas);
  const [rows, setRows] = useState<Row[]>(() => toRows(personas));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const dirty = JSON.stringify(rows) !== JSON.stringify(toRows(base));
  const changedElsewhere = JSON.stringify(personas) !== JSON.stringify(base);
  const load = () => {
    setBase(personas);
    setRows(toRows(personas));
  };
  useEffect(() => {
    if (changedElsewhere && !dirty) load();
  });

  const set = (i: number, key: keyof Row, value: string) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  const save = async () => {
    try {
      const state = await api.savePersonas(rows.map((r) => ({ ...r, groups: splitList(r.groups) })));
      setBase(state.personas);
      setRows(toRows(state.personas));
      live.apply(state);
      setMessage({ ok: true, text: 'Personas saved.' });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };

  return (
    <div className="card">
      <h3>Built-in personas</h3>
      {changedElsewhere && dirty && (
        <p className="note note-warn" role="status">
          The personas were changed elsewhere while you edited.{' '}
          <button type="button" className="small" onClick={load}>Load their version</button>
        </p>
      )}
      <table className="personas">
        <thead>
          <tr><th scope="col">Username</th><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Groups</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {(['username', 'email', 'name', 'groups'] as const).map((k) => (
                <td key={k}>
                  <input aria-label={`${k} of persona ${i + 1}`} value={r[k]} onChange={(e) => set(i, k, e.target.value)} />
                </td>
              ))}
              <td>
                <button type="button" className="small danger" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} aria-label={`Remove persona ${r.username || i + 1}`}>Remove</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" onClick={() => setRows((rs) => [...rs, { username: '', email: '', name: '', groups: '' }])}>Add persona</button>
        <button type="button" className="primary" onClick={() => void save()}>Save personas</button>
        {message && <span className={`note ${message.ok ? 'note-good' : 'note-bad'}`} role="status">{message.text}</span>}
      </div>
    </div>
  );
}

function toRows(personas: Persona[]): Row[] {
  return personas.map((p) => ({ ...p, groups: p.groups.join(', ') }));
}
