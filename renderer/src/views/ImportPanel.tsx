// "Import oauth2-proxy config…": paste or choose a .cfg, env or docker-compose file, see what it
// would add and every warning from the import, then add it through the ordinary add calls, so
// the engine's checks (ids, ports, providers) apply as to any upstream added by hand.
import { useState, type ChangeEvent } from 'react';
import type { ImportFormat, ImportPreview, ProviderConfig, UpstreamConfig } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Field } from '../components/Field.tsx';

const FORMATS: Array<{ value: ImportFormat | ''; label: string }> = [
  { value: '', label: 'Detect from the text' },
  { value: 'cfg', label: 'oauth2-proxy .cfg' },
  { value: 'env', label: 'env file (OAUTH2_PROXY_*)' },
  { value: 'compose', label: 'docker-compose file' },
];

/** What the file's name says it is; the engine looks at the text when this says nothing. */
function formatFromName(name: string): ImportFormat | '' {
  if (/\.ya?ml$/i.test(name)) return 'compose';
  if (/(^|\.)env$/i.test(name)) return 'env';
  if (/\.(cfg|toml|conf)$/i.test(name)) return 'cfg';
  return '';
}

/** An id and a port that do not collide with what exists, so Add works without edits when it can. */
function freeId(id: string, taken: Set<string>): string {
  if (!taken.has(id)) return id;
  for (let n = 2; ; n++) if (!taken.has(`${id}-${n}`)) return `${id}-${n}`;
}
function freePort(port: number, taken: Set<number>): number {
  let p = port;
  while (taken.has(p)) p++;
  return p;
}

export function ImportPanel({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const live = useLive();
  const [text, setText] = useState('');
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [id, setId] = useState('');
  const [port, setPort] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const existingProviders = new Set((live.state?.providers ?? []).map((p) => p.id));

  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    setFormat(formatFromName(file.name));
    setPreview(null);
  };

  const read = async () => {
    setBusy(true);
    try {
      const result = await api.previewImport(text, format || undefined);
      const upstreams = live.state?.upstreams ?? [];
      const first = result.config.upstreams[0];
      setId(freeId(first.id, new Set(upstreams.map((u) => u.id))));
      setPort(String(freePort(first.listen.port, new Set(upstreams.map((u) => u.listen.port)))));
      setPreview(result);
      setError(null);
    } catch (e) {
      setPreview(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const newProviders = (p: ImportPreview): ProviderConfig[] => p.config.providers.filter((provider) => !existingProviders.has(provider.id));

  const add = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      for (const provider of newProviders(preview)) live.apply(await api.saveProvider(provider));
      const upstream: UpstreamConfig = { ...preview.config.upstreams[0], id, listen: { ...preview.config.upstreams[0].listen, port: Number(port) } };
      live.apply(await api.addUpstream(upstream));
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card import" role="region" aria-label="Import oauth2-proxy config">
      <h3>Import oauth2-proxy config</h3>
      <p className="meta">
        Paste an oauth2-proxy <code>.cfg</code>, an env file of <code>OAUTH2_PROXY_*</code> lines or a docker-compose file, or choose the file.
        Nothing changes until you press Add; secrets are never copied, only the environment variable that holds them.
      </p>
      <Field label="Configuration text">
        <textarea rows={10} spellCheck={false} value={text} onChange={(e) => (setText(e.target.value), setPreview(null))} />
      </Field>
      <div className="import-source">
        <Field label="Choose a file">
          <input type="file" accept=".cfg,.conf,.toml,.env,.yml,.yaml,text/plain" onChange={(e) => void choose(e)} />
        </Field>
        <Field label="Format">
          <select value={format} onChange={(e) => (setFormat(e.target.value as ImportFormat | ''), setPreview(null))}>
            {FORMATS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
          </select>
        </Field>
      </div>
      {error && <ErrorNotice message={error} onDismiss={() => setError(null)} />}
      <div className="actions">
        <button type="button" className={preview ? undefined : 'primary'} disabled={busy || text.trim() === ''} onClick={() => void read()}>Preview</button>
        <button type="button" onClick={onDone}>Cancel</button>
      </div>
      {preview && (
        <section aria-label="Import preview" className="import-preview">
          <h4>Upstream it would add</h4>
          {preview.config.upstreams.map((u) => (
            <div key={u.id}>
              <p className="route"><code>{u.target}</code> · provider <code>{u.provider}</code>{u.allowedGroups.length > 0 && <> · groups {u.allowedGroups.join(', ')}</>}</p>
              <div className="import-source">
                <Field label="Id"><input value={id} onChange={(e) => setId(e.target.value)} /></Field>
                <Field label="Listen port"><input inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} /></Field>
              </div>
            </div>
          ))}
          <h4>Providers</h4>
          <ul>
            {preview.config.providers.map((p) => (
              <li key={p.id}>
                <code>{p.id}</code> ({p.type}{p.type === 'oidc' ? `, ${p.issuer}` : ''}){existingProviders.has(p.id) ? ' — already there, kept as it is' : ' — would be added'}
              </li>
            ))}
          </ul>
          <h4>Warnings ({preview.warnings.length})</h4>
          {preview.warnings.length === 0 ? (
            <p className="meta">None: everything in the file has a Portcullis equivalent.</p>
          ) : (
            <ul className="warnings">{preview.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
          )}
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void add()}>Add</button>
          </div>
        </section>
      )}
    </div>
  );
}
