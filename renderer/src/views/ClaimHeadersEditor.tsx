// The upstream form's `claimHeaders`: headers whose values come from the identity's claims
// (docs/configuration.md, "Claim headers"), each name and claim path checked as you type by the
// engine's own rules.
import { canonicalHeaderName, claimHeaderNameProblem, claimPathProblem } from '../../../electron/engine/api.ts';
import { Field } from '../components/Field.tsx';

export interface ClaimHeaderRow {
  name: string;
  path: string;
}

export function claimHeaderRows(claimHeaders: Record<string, string> | undefined): ClaimHeaderRow[] {
  return Object.entries(claimHeaders ?? {}).map(([name, path]) => ({ name, path }));
}

/** What is wrong with each row's name and path (the engine's words), the name also against the rows above it. */
export function claimHeaderProblems(rows: ClaimHeaderRow[]): Array<{ name?: string; path?: string }> {
  return rows.map((r, i) => {
    const first = rows.findIndex((o) => canonicalHeaderName(o.name) === canonicalHeaderName(r.name));
    const name = r.name === '' ? 'a header name is needed' : (claimHeaderNameProblem(r.name) ?? (first < i ? `header ${r.name} is the same header as ${rows[first].name} (names ignore case and _/-)` : undefined));
    const path = r.path === '' ? 'a claim name, a dot path, or $ for all claims' : claimPathProblem(r.path);
    return { name, path };
  });
}

interface Props {
  rows: ClaimHeaderRow[];
  onChange: (rows: ClaimHeaderRow[]) => void;
}

export function ClaimHeadersEditor({ rows, onChange }: Props) {
  const problems = claimHeaderProblems(rows);
  const set = (i: number, next: ClaimHeaderRow | undefined) => onChange(next ? rows.map((r, j) => (j === i ? next : r)) : rows.filter((_, j) => j !== i));
  return (
    <fieldset className="claim-headers">
      <legend>Claim headers</legend>
      <p className="note note-muted">
        Sent to the app and on /oauth2/auth’s 202: a claim name or dot path (realm_access.roles), or $ for all claims as JSON. Lists are
        joined with commas, objects sent as JSON; a missing claim sends no header. A client’s own copy is always removed.
      </p>
      {rows.map((r, i) => (
        <div key={i} className="inline" role="group" aria-label={`Claim header ${i + 1}`}>
          <Field label="Header name" error={problems[i].name}>
            <input value={r.name} onChange={(e) => set(i, { ...r, name: e.target.value })} placeholder="X-User-Tenant" autoComplete="off" />
          </Field>
          <Field label="Claim" error={problems[i].path}>
            <input value={r.path} onChange={(e) => set(i, { ...r, path: e.target.value })} placeholder="tid" autoComplete="off" />
          </Field>
          <button type="button" onClick={() => set(i, undefined)} aria-label={`Remove claim header ${r.name || i + 1}`}>Remove</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { name: '', path: '' }])}>Add a claim header</button>
    </fieldset>
  );
}
