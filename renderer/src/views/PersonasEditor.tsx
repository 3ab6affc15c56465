// The built-in provider's personas: who you can sign in as, with which email, groups and
// claims. Changes saved elsewhere (another window, the API, the config file) replace the table
// unless the user has unsaved edits; then they are offered, never forced on them.
import { Fragment, useState } from 'react';
import type { Persona } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { claimsText, readClaimsJson } from '../lib/claims-json.ts';
import { splitList } from '../lib/format.ts';
import { useEditedCopy } from '../lib/useEditedCopy.ts';
import { accessTokenTtlProblem, PersonaClaims, type PersonaRow } from './PersonaClaims.tsx';

const TEXT_COLUMNS = ['username', 'email', 'name', 'groups'] as const;

export function PersonasEditor() {
  const api = useApi();
  const live = useLive();
  const personas = live.state?.personas ?? [];
  const { rows, setRows, dirty, changedElsewhere, load } = useEditedCopy(personas, toRows);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const setRow = (i: number, row: PersonaRow) => setRows((rs) => rs.map((r, j) => (j === i ? row : r)));
  const toggleOpen = (i: number) => setOpen((o) => {
    const next = new Set(o);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    return next;
  });
  const save = async () => {
    const built = rows.map(toPersona);
    const bad = built.findIndex((b) => typeof b === 'string');
    if (bad >= 0) {
      setOpen((o) => new Set(o).add(bad));
      setMessage({ ok: false, text: `Persona ${rows[bad].username || bad + 1}: ${built[bad] as string}` });
      return;
    }
    try {
      const state = await api.savePersonas(built as Persona[]);
      load(state.personas);
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
          <button type="button" className="small" onClick={() => load()}>Load their version</button>
        </p>
      )}
      <table className="personas">
        <thead>
          <tr><th scope="col">Username</th><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Groups</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <Fragment key={i}>
              <tr>
                {TEXT_COLUMNS.map((k) => (
                  <td key={k}>
                    <input aria-label={`${k} of persona ${i + 1}`} value={r[k]} onChange={(e) => setRow(i, { ...r, [k]: e.target.value })} />
                  </td>
                ))}
                <td className="row-actions">
                  <button type="button" className="small" aria-expanded={open.has(i)} onClick={() => toggleOpen(i)} aria-label={`Claims of persona ${r.username || i + 1}`}>
                    Claims{claimCount(r)}
                  </button>
                  <button type="button" className="small danger" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} aria-label={`Remove persona ${r.username || i + 1}`}>Remove</button>
                </td>
              </tr>
              {open.has(i) && (
                <tr>
                  <td colSpan={5}><PersonaClaims row={r} index={i + 1} onChange={(row) => setRow(i, row)} /></td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" onClick={() => setRows((rs) => [...rs, { username: '', email: '', name: '', groups: '', claims: '', accessTokenTtl: '' }])}>Add persona</button>
        <button type="button" className="primary" onClick={() => void save()}>Save personas</button>
        {message && <span className={`note ${message.ok ? 'note-good' : 'note-bad'}`} role="status">{message.text}</span>}
      </div>
    </div>
  );
}

/** ` (3)` for three valid claims, nothing for none. */
function claimCount(r: PersonaRow): string {
  const reading = readClaimsJson(r.claims, { refuseProtocolClaims: false });
  const n = reading.ok && reading.claims ? Object.keys(reading.claims).length : 0;
  return n > 0 ? ` (${n})` : '';
}

function toRows(personas: Persona[]): PersonaRow[] {
  return personas.map((p) => ({
    username: p.username,
    email: p.email,
    name: p.name,
    groups: p.groups.join(', '),
    claims: claimsText(p.claims),
    accessTokenTtl: p.accessTokenTtl === undefined ? '' : String(p.accessTokenTtl),
  }));
}

/** The persona a row stands for, or why it cannot be saved. */
function toPersona(r: PersonaRow): Persona | string {
  const claims = readClaimsJson(r.claims, { refuseProtocolClaims: true });
  if (!claims.ok) return `claims: ${claims.problem}`;
  const ttlProblem = accessTokenTtlProblem(r.accessTokenTtl);
  if (ttlProblem) return `access token lifetime: ${ttlProblem}`;
  return {
    username: r.username,
    email: r.email,
    name: r.name,
    groups: splitList(r.groups),
    ...(claims.claims ? { claims: claims.claims } : {}),
    ...(r.accessTokenTtl.trim() ? { accessTokenTtl: Number(r.accessTokenTtl) } : {}),
  };
}
