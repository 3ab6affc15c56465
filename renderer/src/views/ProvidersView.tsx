// Identity providers: readiness, the redirect URLs to register, editing, and personas.
import { useId, useState } from 'react';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { RedirectUrls } from '../components/RedirectUrls.tsx';
import { ProviderForm } from './ProviderForm.tsx';
import { MintTokenPanel } from './MintTokenPanel.tsx';
import { PersonasEditor } from './PersonasEditor.tsx';
import { ServiceClientsEditor } from './ServiceClientsEditor.tsx';

export function ProvidersView() {
  const api = useApi();
  const live = useLive();
  const providers = live.state?.providers ?? [];
  const usersOf = (id: string) => (live.state?.upstreams ?? []).filter((u) => u.provider === id).map((u) => u.id);
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
      {error && <ErrorNotice message={error} onDismiss={() => setError(null)} />}
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
              {'rolesClaim' in p && (p.groupsClaim || p.rolesClaim) && (
                <p className="meta">groups from <code>{p.groupsClaim || 'groups'}</code>, roles from <code>{p.rolesClaim || 'roles'}</code></p>
              )}
              {/* The built-in provider registers callbacks itself: nothing to tell before an upstream uses it. */}
              {(p.type !== 'builtin' || p.status.redirectUrls.length > 0) && <RedirectUrls urls={p.status.redirectUrls} />}
              <div className="actions">
                <button type="button" onClick={() => setEditing(p.id)}>Edit</button>
                <RemoveProvider id={p.id} usedBy={usersOf(p.id)} onRemove={() => remove(p.id)} />
              </div>
            </li>
          ),
        )}
      </ul>
      {providers.some((p) => p.type === 'builtin') && (live.state?.personas.length ?? 0) > 0 && <MintTokenPanel />}
      {providers.some((p) => p.type === 'builtin') && <PersonasEditor />}
      {providers.some((p) => p.type === 'builtin') && <ServiceClientsEditor />}
    </section>
  );
}

/** Remove, or why not: the engine refuses to remove a provider that upstreams still use. */
function RemoveProvider({ id, usedBy, onRemove }: { id: string; usedBy: string[]; onRemove: () => void }) {
  const reasonId = useId();
  if (usedBy.length === 0) return <button type="button" className="danger" onClick={onRemove}>Remove</button>;
  return (
    <>
      <button type="button" className="danger" disabled aria-describedby={reasonId}>Remove</button>
      <span id={reasonId} className="note note-muted">
        Used by upstream {usedBy.join(', ')}: switch {usedBy.length > 1 ? 'them' : 'it'} to another provider before removing {id}.
      </span>
    </>
  );
}
