// The built-in provider's personas: who you can sign in as, with which email and groups.
import { useState } from 'react';
import type { Persona } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { splitList } from '../lib/format.ts';

type Row = Omit<Persona, 'groups'> & { groups: string };

export function PersonasEditor() {
  const api = useApi();
  const live = useLive();
  const [rows, setRows] = useState<Row[]>(() => (live.state?.personas ?? []).map((p) => ({ ...p, groups: p.groups.join(', ') })));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const set = (i: number, key: keyof Row, value: string) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  const save = async () => {
    try {
      live.apply(await api.savePersonas(rows.map((r) => ({ ...r, groups: splitList(r.groups) }))));
      setMessage({ ok: true, text: 'Personas saved.' });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };

  return (
    <div className="card">
      <h3>Built-in personas</h3>
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
