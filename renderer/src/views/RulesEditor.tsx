// The upstream form's `rules`: an ordered list (the first that matches decides), each with a
// path regex checked as you type, its methods, public/API toggles, and the groups or emails it
// needs instead of the upstream's allowed groups and roles.
import type { AccessRule } from '../../../electron/engine/api.ts';
import { Field } from '../components/Field.tsx';
import { splitList } from '../lib/format.ts';
import { regexProblem } from '../lib/validate.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A rule as the form edits it: lists as text, so typing a comma does not lose the cursor. */
export interface RuleDraft {
  id: string;
  path: string;
  methods: string[];
  public: boolean;
  api: boolean;
  allowedGroups: string;
  allowedRoles: string;
  allowedEmails: string;
}

export function draftOf(rule: AccessRule): RuleDraft {
  return {
    id: rule.id,
    path: rule.path,
    methods: rule.methods ?? [],
    public: rule.public === true,
    api: rule.api === true,
    allowedGroups: (rule.allowedGroups ?? []).join(', '),
    allowedRoles: (rule.allowedRoles ?? []).join(', '),
    allowedEmails: (rule.allowedEmails ?? []).join(', '),
  };
}

/** Empty lists mean "not given", so the upstream's own allowed groups and roles apply. */
export function ruleOf(d: RuleDraft): AccessRule {
  const groups = splitList(d.allowedGroups);
  const roles = splitList(d.allowedRoles);
  const emails = splitList(d.allowedEmails);
  return {
    id: d.id,
    path: d.path,
    ...(d.methods.length ? { methods: d.methods } : {}),
    ...(d.public ? { public: true } : {}),
    ...(d.api ? { api: true } : {}),
    ...(groups.length ? { allowedGroups: groups } : {}),
    ...(roles.length ? { allowedRoles: roles } : {}),
    ...(emails.length ? { allowedEmails: emails } : {}),
  };
}

interface Props {
  rules: RuleDraft[];
  onChange: (rules: RuleDraft[]) => void;
}

export function RulesEditor({ rules, onChange }: Props) {
  const set = (i: number, next: RuleDraft) => onChange(rules.map((r, j) => (j === i ? next : r)));
  const move = (i: number, by: number) => {
    const next = [...rules];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    onChange(next);
  };
  const ids = rules.map((r) => r.id);
  return (
    <fieldset className="rules-editor">
      <legend>Rules per path</legend>
      <p className="note note-muted">Checked in order after skip-auth and API routes; the first rule whose path and method match decides.</p>
      <ol className="rule-list">
        {rules.map((r, i) => (
          <li key={i} className="subcard" aria-label={`Rule ${r.id || i + 1}`}>
            <div className="inline">
              <Field label="Rule id" error={r.id === '' ? 'required' : ids.indexOf(r.id) !== i ? 'another rule has this id' : undefined}>
                <input value={r.id} onChange={(e) => set(i, { ...r, id: e.target.value })} />
              </Field>
              <Field label="Path regex" error={regexProblem(r.path)} hint="e.g. ^/admin/ — (?i) in front ignores case">
                <input value={r.path} onChange={(e) => set(i, { ...r, path: e.target.value })} />
              </Field>
            </div>
            <div className="inline" role="group" aria-label="Methods (none ticked: every method)">
              {METHODS.map((m) => (
                <label key={m} className="check">
                  <input type="checkbox" checked={r.methods.includes(m)} onChange={(e) => set(i, { ...r, methods: e.target.checked ? [...r.methods, m] : r.methods.filter((x) => x !== m) })} />
                  {m}
                </label>
              ))}
            </div>
            <div className="inline">
              <label className="check">
                <input type="checkbox" checked={r.public} onChange={(e) => set(i, { ...r, public: e.target.checked })} />
                Public (no sign-in)
              </label>
              <label className="check">
                <input type="checkbox" checked={r.api} onChange={(e) => set(i, { ...r, api: e.target.checked })} />
                API (401/403 as JSON)
              </label>
            </div>
            {!r.public && (
              <div className="inline">
                <Field label="Groups (any of)" hint="Comma-separated; replaces the upstream's allowed groups">
                  <input value={r.allowedGroups} onChange={(e) => set(i, { ...r, allowedGroups: e.target.value })} />
                </Field>
                <Field label="Roles (any of)" hint="Comma-separated; read through the provider's roles claim">
                  <input value={r.allowedRoles} onChange={(e) => set(i, { ...r, allowedRoles: e.target.value })} />
                </Field>
                <Field label="Emails (any of)" hint="Comma-separated">
                  <input value={r.allowedEmails} onChange={(e) => set(i, { ...r, allowedEmails: e.target.value })} />
                </Field>
              </div>
            )}
            <div className="inline">
              <button type="button" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move rule ${r.id} up`}>Up</button>
              <button type="button" onClick={() => move(i, 1)} disabled={i === rules.length - 1} aria-label={`Move rule ${r.id} down`}>Down</button>
              <button type="button" onClick={() => onChange(rules.filter((_, j) => j !== i))} aria-label={`Remove rule ${r.id}`}>Remove</button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => onChange([...rules, { id: `rule-${rules.length + 1}`, path: '^/', methods: [], public: false, api: false, allowedGroups: '', allowedRoles: '', allowedEmails: '' }])}>
        Add a rule
      </button>
    </fieldset>
  );
}
