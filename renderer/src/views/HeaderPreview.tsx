// The exact identity headers the target would receive, for a chosen session or a sample one.
// The engine answers for the saved flags, so the list follows every save; flags changed in the
// form but not saved yet are called out rather than silently ignored.
import { useEffect, useState } from 'react';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';

export function HeaderPreview({ upstreamId, unsaved = false }: { upstreamId: string; unsaved?: boolean }) {
  const api = useApi();
  const state = useLive().state;
  const sessions = (state?.sessions ?? []).filter((s) => s.upstreamId === upstreamId);
  const saved = state?.upstreams.find((u) => u.id === upstreamId);
  const [sessionId, setSessionId] = useState('');
  const [answer, setAnswer] = useState<{ headers: Record<string, string> } | { error: string } | null>(null);

  // Asks again whenever what the answer depends on changes: the session or the saved upstream.
  const savedKey = JSON.stringify(saved ? { ...saved, status: undefined } : null);
  useEffect(() => {
    let current = true;
    api.previewHeaders(upstreamId, sessionId || undefined).then(
      (headers) => current && setAnswer({ headers }),
      (e: unknown) => current && setAnswer({ error: errorMessage(e) }),
    );
    return () => {
      current = false;
    };
  }, [api, upstreamId, sessionId, savedKey]);

  return (
    <div className="subcard">
      <h4>Header preview</h4>
      <div className="inline">
        <label htmlFor={`hp-${upstreamId}`}>Session</label>
        <select id={`hp-${upstreamId}`} value={sessionId} onChange={(e) => setSessionId(e.target.value)}>
          <option value="">sample user</option>
          {sessions.map((s) => <option key={s.id} value={s.id}>{s.preferredUsername ?? s.email}</option>)}
        </select>
      </div>
      {unsaved && <p className="note note-warn">Showing the saved flags: save to preview your changes.</p>}
      {answer === null ? (
        <p className="note note-muted">Asking the engine…</p>
      ) : 'error' in answer ? (
        <p className="note note-bad">{answer.error}</p>
      ) : Object.keys(answer.headers).length === 0 ? (
        <p className="note">No identity headers with these flags.</p>
      ) : (
        <table className="kv" aria-label="Headers the target receives">
          <tbody>
            {Object.entries(answer.headers).map(([k, v]) => (
              <tr key={k}><th scope="row">{k}</th><td><code>{v}</code></td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
