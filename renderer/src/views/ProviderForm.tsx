// Add or edit an identity provider from a preset. OIDC issuers are discovered before saving,
// and the client secret goes to the secret store (the settings keep only a reference).
import { useState, type FormEvent } from 'react';
import { claimPathProblem, type EngineState, type ProviderInput } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { Field } from '../components/Field.tsx';
import { RedirectUrls } from '../components/RedirectUrls.tsx';
import { PRESETS } from '../lib/presets.ts';
import { splitList } from '../lib/format.ts';

type Existing = EngineState['providers'][number];

const NEW_PRESET = 'auth0';

export function ProviderForm({ existing, onDone }: { existing?: Existing; onDone: () => void }) {
  const api = useApi();
  const live = useLive();
  const [presetKey, setPresetKey] = useState(existing ? (existing.type === 'oidc' ? 'oidc' : existing.type) : NEW_PRESET);
  const preset = PRESETS.find((p) => p.key === presetKey)!;
  const oidc = existing?.type === 'oidc' ? existing : undefined;
  const gh = existing?.type === 'github' ? existing : undefined;
  const [id, setId] = useState(existing?.id ?? NEW_PRESET);
  // The id follows the preset until the user types their own.
  const [idTyped, setIdTyped] = useState(false);
  const taken = !existing && (live.state?.providers ?? []).some((p) => p.id === id);
  const [issuer, setIssuer] = useState(oidc?.issuer ?? preset.issuer ?? '');
  const [clientId, setClientId] = useState(oidc?.clientId ?? gh?.clientId ?? '');
  const [secret, setSecret] = useState('');
  const [scopes, setScopes] = useState((oidc?.scopes ?? preset.scopes ?? ['openid', 'email', 'profile']).join(' '));
  const claimNames = existing?.type === 'builtin' ? existing : oidc;
  const [groupsClaim, setGroupsClaim] = useState(claimNames?.groupsClaim ?? preset.groupsClaim ?? '');
  const [rolesClaim, setRolesClaim] = useState(claimNames?.rolesClaim ?? preset.rolesClaim ?? '');
  // Default on for the built-in provider, off for others (docs/configuration.md, "providerSignOut").
  const [providerSignOut, setProviderSignOut] = useState(existing && existing.type !== 'github' ? existing.providerSignOut : undefined);
  const signOutAtProvider = providerSignOut ?? preset.type === 'builtin';
  const [org, setOrg] = useState(gh?.org ?? '');
  const [team, setTeam] = useState(gh?.team ?? '');
  const [issue, setIssue] = useState<{ message: string; canForce: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const typeId = (value: string) => {
    setId(value);
    setIdTyped(true);
  };
  const choosePreset = (key: string) => {
    setPresetKey(key);
    const p = PRESETS.find((x) => x.key === key)!;
    if (!existing) {
      setIssuer(p.issuer ?? '');
      setGroupsClaim(p.groupsClaim ?? '');
      setRolesClaim(p.rolesClaim ?? '');
      if (p.scopes) setScopes(p.scopes.join(' '));
      if (!idTyped) setId(p.key);
    }
  };

  const build = (): ProviderInput & { clientSecretValue?: string } => {
    const base = { id, ...(existing?.name ? { name: existing.name } : {}), ...(secret ? { clientSecretValue: secret } : {}) };
    const claims = { ...(groupsClaim.trim() ? { groupsClaim: groupsClaim.trim() } : {}), ...(rolesClaim.trim() ? { rolesClaim: rolesClaim.trim() } : {}) };
    const signOut = providerSignOut === undefined ? {} : { providerSignOut };
    if (preset.type === 'builtin') return { ...base, type: 'builtin', ...claims, ...signOut };
    const keep = existing && 'clientSecret' in existing && existing.clientSecret !== undefined ? { clientSecret: existing.clientSecret } : {};
    if (preset.type === 'github') return { ...base, ...keep, type: 'github', clientId, ...(org ? { org } : {}), ...(team ? { team } : {}) };
    const authParams = oidc?.authParams ? { authParams: oidc.authParams } : {};
    return { ...base, ...keep, ...authParams, type: 'oidc', issuer, clientId, scopes: splitList(scopes.replace(/\s+/g, ',')), ...claims, ...signOut };
  };

  const save = async (force: boolean) => {
    setBusy(true);
    try {
      if (preset.type === 'oidc' && !force) {
        const check = await api.checkIssuer(issuer);
        if (!check.ok) {
          setIssue({ message: `Issuer check failed: ${check.message}`, canForce: true });
          return;
        }
      }
      live.apply(await api.saveProvider(build()));
      onDone();
    } catch (e) {
      setIssue({ message: errorMessage(e), canForce: false });
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(false);
  };

  return (
    <form className="card form" onSubmit={submit} aria-label={existing ? `Edit provider ${existing.id}` : 'Add provider'}>
      <h3>{existing ? `Edit ${existing.id}` : 'Add a provider'}</h3>
      <div className="grid">
        <Field label="Preset" hint={preset.hint}>
          <select value={presetKey} onChange={(e) => choosePreset(e.target.value)} disabled={Boolean(existing)}>
            {PRESETS.map((p) => <option key={p.key} value={p.key}>{p.label}</option>)}
          </select>
        </Field>
        <Field label="Provider id" error={taken ? `a provider called ${id} exists: choose another id, or edit that one` : undefined}>
          <input value={id} onChange={(e) => typeId(e.target.value)} readOnly={Boolean(existing)} required autoComplete="off" />
        </Field>
        {preset.type === 'oidc' && (
          <Field label="Issuer URL" hint="Checked via /.well-known/openid-configuration on save">
            <input value={issuer} onChange={(e) => setIssuer(e.target.value)} required />
          </Field>
        )}
        {preset.type !== 'builtin' && (
          <>
            <Field label="Client id">
              <input value={clientId} onChange={(e) => setClientId(e.target.value)} required autoComplete="off" />
            </Field>
            <Field label="Client secret" hint={existing ? 'Leave empty to keep the stored secret' : 'Stored in the secret store, not in the settings file'}>
              <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" />
            </Field>
          </>
        )}
        {preset.type === 'oidc' && (
          <Field label="Scopes" hint="Space separated">
            <input value={scopes} onChange={(e) => setScopes(e.target.value)} />
          </Field>
        )}
        {preset.type !== 'github' && (
          <>
            <Field label="Groups claim" error={claimPathProblem(groupsClaim)} hint="A claim name or a dot path; empty: groups">
              <input value={groupsClaim} onChange={(e) => setGroupsClaim(e.target.value)} placeholder="groups" autoComplete="off" />
            </Field>
            <Field label="Roles claim" error={claimPathProblem(rolesClaim)} hint="e.g. realm_access.roles or https://example.com/roles; empty: roles">
              <input value={rolesClaim} onChange={(e) => setRolesClaim(e.target.value)} placeholder="roles" autoComplete="off" />
            </Field>
          </>
        )}
        {preset.type === 'github' && (
          <>
            <Field label="Organisation"><input value={org} onChange={(e) => setOrg(e.target.value)} /></Field>
            <Field label="Team"><input value={team} onChange={(e) => setTeam(e.target.value)} /></Field>
          </>
        )}
      </div>
      {preset.type === 'github' ? (
        <p className="meta">GitHub has no provider sign-out: Sign out ends the Portcullis session only.</p>
      ) : (
        <label className="check">
          <input type="checkbox" checked={signOutAtProvider} onChange={(e) => setProviderSignOut(e.target.checked)} />
          Sign out at the provider too (its end_session_endpoint), so the next sign-in asks again
        </label>
      )}
      {preset.type !== 'builtin' && <RedirectUrls urls={existing?.status.redirectUrls ?? []} />}
      {issue && (
        <div className="note note-bad" role="alert">
          {issue.message}
          {issue.canForce && <button type="button" className="small" onClick={() => void save(true)}>Save anyway</button>}
        </div>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || taken || Boolean(claimPathProblem(groupsClaim) ?? claimPathProblem(rolesClaim))}>{busy ? 'Checking…' : 'Save provider'}</button>
        <button type="button" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}

