// Add or edit one upstream. Port and target are checked as you type (shown, never blocking);
// errors the engine returns land on the field their JSON path names.
import { useState, type FormEvent } from 'react';
import type { PathRoute, UpstreamConfig, UpstreamInput } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage, errorPath } from '../api/errors.ts';
import { Field } from '../components/Field.tsx';
import { useDebouncedCheck } from '../lib/useDebouncedCheck.ts';
import { splitList } from '../lib/format.ts';
import { validHttpUrl } from '../lib/validate.ts';
import { AdvancedSection, type AdvancedValues } from './AdvancedSection.tsx';
import { claimHeaderProblems, claimHeaderRows } from './ClaimHeadersEditor.tsx';
import { ExplainPanel } from './ExplainPanel.tsx';
import { PathsEditor } from './PathsEditor.tsx';
import { draftOf, ruleOf, RulesEditor, type RuleDraft } from './RulesEditor.tsx';

type FieldKey = 'id' | 'name' | 'host' | 'port' | 'target' | 'provider';

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function UpstreamForm({ existing, onDone }: { existing?: UpstreamConfig; onDone: () => void }) {
  const api = useApi();
  const live = useLive();
  const providers = live.state?.providers ?? [];
  const [id, setId] = useState(existing?.id ?? '');
  const [name, setName] = useState(existing?.name ?? '');
  const [host, setHost] = useState(existing?.listen.host ?? '127.0.0.1');
  const [port, setPort] = useState(existing ? String(existing.listen.port) : '');
  const [target, setTarget] = useState(existing?.target ?? 'http://127.0.0.1:');
  const [provider, setProvider] = useState(existing?.provider ?? providers[0]?.id ?? 'builtin');
  const [advanced, setAdvanced] = useState<AdvancedValues>(() => advancedFrom(existing));
  const [paths, setPaths] = useState<PathRoute[]>(existing?.paths ?? []);
  const [rules, setRules] = useState<RuleDraft[]>(() => (existing?.rules ?? []).map(draftOf));
  const [serverError, setServerError] = useState<{ field?: FieldKey; message: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const local: Partial<Record<FieldKey, string>> = {
    id: id === '' ? undefined : ID_RE.test(id) ? undefined : 'letters, digits, . _ - only; start with a letter or digit',
    port: port === '' ? undefined : validPort(port) ? undefined : 'a whole number from 1 to 65535',
    target: target === '' ? undefined : validHttpUrl(target) ? undefined : 'an absolute http:// or https:// URL',
  };
  const portCheck = useDebouncedCheck(validPort(port) && host ? () => api.checkPort(host, Number(port), existing?.id) : null, `${host}:${port}`);
  const targetCheck = useDebouncedCheck(validHttpUrl(target) ? () => api.checkTarget(target) : null, target);
  const errorFor = (k: FieldKey) => local[k] ?? (serverError?.field === k ? serverError.message : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!id || !port || !target || Object.values(local).some(Boolean)) {
      setServerError({ message: 'Fill in the id, port and target first.' });
      return;
    }
    if (claimHeaderProblems(advanced.claimHeaders).some((p) => p.name || p.path)) {
      setServerError({ message: 'Fix the claim headers first (Advanced: each says what is wrong).' });
      return;
    }
    const input: UpstreamInput = {
      ...withoutStatus(existing),
      id, listen: { host, port: Number(port) }, target, provider,
      ...(name ? { name } : {}),
      allowedGroups: splitList(advanced.allowedGroups),
      allowedRoles: splitList(advanced.allowedRoles),
      claimHeaders: Object.fromEntries(advanced.claimHeaders.map((h) => [h.name, h.path])),
      bearerTokens: advanced.bearerTokens,
      extraAudiences: splitList(advanced.extraAudiences),
      allowedEmails: splitList(advanced.allowedEmails),
      emailDomains: splitList(advanced.emailDomains),
      skipAuthRoutes: splitList(advanced.skipAuthRoutes),
      apiRoutes: splitList(advanced.apiRoutes),
      redirectOrigins: splitList(advanced.redirectOrigins),
      ...advanced.flags,
      paths,
      rules: rules.map(ruleOf),
    };
    if (!name) delete input.name;
    setSaving(true);
    try {
      live.apply(existing ? await api.updateUpstream(existing.id, input) : await api.addUpstream(input));
      onDone();
    } catch (err) {
      setServerError({ field: fieldOf(errorPath(err)), message: errorMessage(err) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-label={existing ? `Edit upstream ${existing.id}` : 'Add upstream'} noValidate>
      <h3>{existing ? `Edit ${existing.id}` : 'Add an upstream'}</h3>
      <div className="grid">
        {/* The engine never renames an upstream (its id keys sessions and logs), so an edit keeps it. */}
        <Field label="Id" error={errorFor('id')} hint={existing ? 'Fixed once added: to use another id, add a new upstream' : 'Used in URLs and logs, e.g. app'}>
          <input value={id} onChange={(e) => setId(e.target.value)} readOnly={Boolean(existing)} required autoComplete="off" />
        </Field>
        <Field label="Name" error={errorFor('name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="My Streamlit app" />
        </Field>
        <Field label="Listen host" error={errorFor('host')}>
          <input value={host} onChange={(e) => setHost(e.target.value)} />
        </Field>
        <Field label="Listen port" error={errorFor('port')} check={portCheck}>
          <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" required />
        </Field>
        <Field label="Target URL" error={errorFor('target')} check={targetCheck}>
          <input value={target} onChange={(e) => setTarget(e.target.value)} required />
        </Field>
        <Field label="Provider" error={errorFor('provider')}>
          <select value={provider} onChange={(e) => setProvider(e.target.value)}>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name ?? p.id} ({p.type})
              </option>
            ))}
          </select>
        </Field>
      </div>
      <AdvancedSection values={advanced} onChange={setAdvanced} upstreamId={existing?.id} />
      <details className="advanced" open={paths.length > 0 || rules.length > 0}>
        <summary>Paths and rules: other targets per path, who may open which path</summary>
        <PathsEditor paths={paths} onChange={setPaths} />
        <RulesEditor rules={rules} onChange={setRules} />
        {existing ? <ExplainPanel upstreamId={existing.id} /> : <p className="note note-muted">Save the upstream to explain requests against it.</p>}
      </details>
      {serverError && !serverError.field && (
        <p className="note note-bad" role="alert">
          {serverError.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : existing ? 'Save changes' : 'Add upstream'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function advancedFrom(u?: UpstreamConfig): AdvancedValues {
  return {
    allowedGroups: (u?.allowedGroups ?? []).join('\n'),
    allowedRoles: (u?.allowedRoles ?? []).join('\n'),
    claimHeaders: claimHeaderRows(u?.claimHeaders),
    bearerTokens: u?.bearerTokens ?? false,
    extraAudiences: (u?.extraAudiences ?? []).join('\n'),
    allowedEmails: (u?.allowedEmails ?? []).join('\n'),
    emailDomains: (u?.emailDomains ?? ['*']).join('\n'),
    skipAuthRoutes: (u?.skipAuthRoutes ?? []).join('\n'),
    apiRoutes: (u?.apiRoutes ?? []).join('\n'),
    redirectOrigins: (u?.redirectOrigins ?? []).join('\n'),
    flags: {
      passUserHeaders: u?.passUserHeaders ?? true,
      passAccessToken: u?.passAccessToken ?? false,
      passAuthorizationHeader: u?.passAuthorizationHeader ?? false,
      setXAuthRequest: u?.setXAuthRequest ?? true,
      websockets: u?.websockets ?? true,
    },
  };
}

/** State rows carry a live `status`; the API takes only the settings. */
function withoutStatus(u?: UpstreamConfig): Partial<UpstreamConfig> {
  if (!u) return {};
  const { status: _status, ...settings } = u as UpstreamConfig & { status?: unknown };
  return settings;
}

function validPort(p: string): boolean {
  return /^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535;
}


/** Maps an API error's JSON path (e.g. `$.upstreams[2].listen.port`) to the field it names. */
function fieldOf(path: string | undefined): FieldKey | undefined {
  if (!path) return undefined;
  if (/listen\.port$/.test(path)) return 'port';
  if (/listen(\.host)?$/.test(path)) return 'host';
  const last = /\.(id|name|target|provider)$/.exec(path);
  return last ? (last[1] as FieldKey) : undefined;
}
