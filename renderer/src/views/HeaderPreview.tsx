// The exact identity headers the target would receive, for a chosen session or a sample one.
import { useState } from 'react';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';

export function HeaderPreview({ upstreamId }: { upstreamId: string }) {
  const api = useApi();
  const sessions = (useLive().state?.sessions ?? []).filter((s) => s.upstreamId === upstreamId);
  const [sessionId, setSessionId] = useState('');
  const [headers, setHeaders] = useState<Record<string, string> | null>(null);
  const [error, setError] = useState<string | null>(null);

  const preview = async () => {
    try {
      setHeaders(await api.previewHeaders(upstreamId, sessionId || undefined));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div className="subcard">
      <h4>Header preview</h4>
      <div className="inline">
        <label htmlFor={`hp-${upstreamId}`}>Session</label>
        <select id={`hp-${upstreamId}`} value={sessionId} onChange={(e) => setSessionId(e.target.value)}>
          <option value="">sample user</option>
          {sessions.map((s) => <option key={s.id} value={s.id}>{s.preferredUsername ?? s.email}</option>)}
        </select>
        <button type="button" onClick={() => void preview()}>Preview</button>
      </div>
      {error && <p className="note note-bad">{error}</p>}
      {headers && (
        Object.keys(headers).length === 0 ? <p className="note">No identity headers with these flags.</p> : (
          <table className="kv" aria-label="Headers the target receives">
            <tbody>
              {Object.entries(headers).map(([k, v]) => (
                <tr key={k}><th scope="row">{k}</th><td><code>{v}</code></td></tr>
              ))}
            </tbody>
          </table>
        )
      )}
    </div>
  );
}
