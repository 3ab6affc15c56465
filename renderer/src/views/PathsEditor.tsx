// The upstream form's `paths`: which other app serves which path prefix (a front end on `/`, an
// API on `/app/api/`), each target checked as you type for something listening.
import type { PathRoute } from '../../../electron/engine/api.ts';
import { useApi } from '../api/context.ts';
import { Field } from '../components/Field.tsx';
import { useDebouncedCheck } from '../lib/useDebouncedCheck.ts';
import { validHttpUrl } from '../lib/validate.ts';

interface Props {
  paths: PathRoute[];
  onChange: (paths: PathRoute[]) => void;
}

export function PathsEditor({ paths, onChange }: Props) {
  const set = (i: number, next: PathRoute | undefined) => onChange(next ? paths.map((p, j) => (j === i ? next : p)) : paths.filter((_, j) => j !== i));
  return (
    <fieldset className="paths-editor">
      <legend>Paths to other targets</legend>
      <p className="note note-muted">A request whose path starts with a prefix goes to that target instead (the longest prefix wins).</p>
      {paths.map((p, i) => (
        <PathRow key={i} index={i} route={p} onChange={(next) => set(i, next)} />
      ))}
      <button type="button" onClick={() => onChange([...paths, { path: '/api/', target: 'http://127.0.0.1:' }])}>
        Add a path
      </button>
    </fieldset>
  );
}

function PathRow({ index, route, onChange }: { index: number; route: PathRoute; onChange: (r: PathRoute | undefined) => void }) {
  const api = useApi();
  const targetOk = validHttpUrl(route.target);
  const check = useDebouncedCheck(targetOk ? () => api.checkTarget(route.target) : null, route.target);
  const pathError = route.path.startsWith('/') ? undefined : 'must start with /';
  return (
    <div className="inline path-row" role="group" aria-label={`Path ${index + 1}`}>
      <Field label="Path prefix" error={pathError}>
        <input value={route.path} onChange={(e) => onChange({ ...route, path: e.target.value })} />
      </Field>
      <Field label="Target URL" error={targetOk ? undefined : 'an absolute http:// or https:// URL'} check={check}>
        <input value={route.target} onChange={(e) => onChange({ ...route, target: e.target.value })} />
      </Field>
      <label className="check">
        <input type="checkbox" checked={route.stripPrefix === true} onChange={(e) => onChange({ ...route, stripPrefix: e.target.checked || undefined })} />
        Strip prefix
      </label>
      <button type="button" onClick={() => onChange(undefined)} aria-label={`Remove path ${route.path}`}>
        Remove
      </button>
    </div>
  );
}
