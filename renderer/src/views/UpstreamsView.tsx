// Every upstream with its live status, plus the add/edit form and start/stop all.
import { useState } from 'react';
import type { EngineState } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { UpstreamForm } from './UpstreamForm.tsx';
import { UpstreamRow } from './UpstreamRow.tsx';

export function UpstreamsView() {
  const api = useApi();
  const live = useLive();
  const [editing, setEditing] = useState<string | 'new' | 'import' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upstreams = live.state?.upstreams ?? [];
  const providers = live.state?.providers ?? [];
  const all = (call: () => Promise<EngineState>) => () => {
    call().then((s) => (live.apply(s), setError(null)), (e: unknown) => setError(errorMessage(e)));
  };

  return (
    <section aria-labelledby="upstreams-h">
      <div className="section-head">
        <h2 id="upstreams-h">Upstreams</h2>
        <div className="actions">
          <button type="button" className="primary" onClick={() => setEditing('new')}>Add upstream</button>
          <button type="button" onClick={() => setEditing('import')}>Import oauth2-proxy config…</button>
          <button type="button" onClick={all(() => api.startAll())}>Start all</button>
          <button type="button" onClick={all(() => api.stopAll())}>Stop all</button>
        </div>
      </div>
      {error && <ErrorNotice message={error} onDismiss={() => setError(null)} />}
      {editing === 'new' && <UpstreamForm onDone={() => setEditing(null)} />}
      {editing === 'import' && <ImportPanel onDone={() => setEditing(null)} />}
      {upstreams.length === 0 && editing !== 'new' && editing !== 'import' ? (
        <EmptyState title="No upstreams yet">
          <p>An upstream is a port Portcullis listens on, in front of an app you run (for example Streamlit on 8501).</p>
        </EmptyState>
      ) : (
        <ul className="list">
          {upstreams.map((u) =>
            editing === u.id ? (
              <li key={u.id}><UpstreamForm existing={u} onDone={() => setEditing(null)} /></li>
            ) : (
              <UpstreamRow
                key={u.id}
                upstream={u}
                builtin={providers.find((p) => p.id === u.provider)?.type === 'builtin'}
                onEdit={() => setEditing(u.id)}
                onError={setError}
              />
            ),
          )}
        </ul>
      )}
    </section>
  );
}
