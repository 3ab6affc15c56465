// Identity providers: readiness, the redirect URLs to register, editing, and personas.
import { useState } from 'react';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ProviderForm } from './ProviderForm.tsx';
import { PersonasEditor } from './PersonasEditor.tsx';

export function ProvidersView() {
  const api = useApi();
  const live = useLive();
  const providers = live.state?.providers ?? [];
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const remove = (id: string) => {
    if (!window.confirm(`Remove provider ${id}?`)) return;
    api.removeProvider(id).then(live.apply, (e: unknown) => setError(errorMessage(e)));
  };

  return (
    <section aria-labelledby="providers-h">
      <div className="section-head">
        <h2 id="providers-h">Providers</h2>
        <button type="button" className="primary" onClick={() => setEditing('new')}>Add provider</button>
      </div>
      {error && <ErrorNotice message={error} />}
      {editing === 'new' && <ProviderForm onDone={() => setEditing(null)} />}
      {providers.length === 0 && <EmptyState title="No providers">Add one from a preset to let upstreams sign people in.</EmptyState>}
      <ul className="list">
        {providers.map((p) =>
          editing === p.id ? (
            <li key={p.id}><ProviderForm existing={p} onDone={() => setEditing(null)} /></li>
          ) : (
            <li key={p.id} className="card" aria-label={`Provider ${p.id}`}>
              <div className="upstream-head">
                <h3>{p.name ?? p.id}</h3>
                <span className="badge">{p.type}</span>
                <span className={`badge ${p.status.ready ? 'badge-running' : 'badge-error'}`}>{p.status.ready ? 'ready' : 'not ready'}</span>
              </div>
              {p.status.error && <p className="note note-bad">{p.status.error}</p>}
              {'issuer' in p && <p className="meta">issuer <code>{p.issuer}</code></p>}
              {p.status.redirectUrls.length > 0 && (
                <div className="redirects">
                  <p className="meta">Redirect URL{p.status.redirectUrls.length > 1 ? 's' : ''} to register at the provider:</p>
                  {p.status.redirectUrls.map((u) => (
                    <p key={u} className="inline"><code>{u}</code><CopyButton value={u} label={`Copy redirect URL ${u}`} /></p>
                  ))}
                </div>
              )}
              <div className="actions">
                {p.type !== 'builtin' && <button type="button" onClick={() => setEditing(p.id)}>Edit</button>}
                <button type="button" className="danger" onClick={() => remove(p.id)}>Remove</button>
              </div>
            </li>
          ),
        )}
      </ul>
      {providers.some((p) => p.type === 'builtin') && <PersonasEditor />}
    </section>
  );
}
