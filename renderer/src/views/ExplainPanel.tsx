// "Explain a request": what the listener would answer a method and path for a persona, a
// signed-in session or nobody, under the saved settings — decision, status, the rule that
// decided and why, where it would be forwarded and the identity headers the target would get.
import { useEffect, useState } from 'react';
import type { ExplainInput, Explanation } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

interface Props {
  upstreamId: string;
  /** Prefilled (the request log's "Explain"): asked at once. */
  initial?: Omit<ExplainInput, 'upstream'>;
}

export function ExplainPanel({ upstreamId, initial }: Props) {
  const api = useApi();
  const state = useLive().state;
  const [method, setMethod] = useState(initial?.method ?? 'GET');
  const [path, setPath] = useState(initial?.path ?? '/');
  const [persona, setPersona] = useState(initial?.persona ?? '');
  const [answer, setAnswer] = useState<Explanation | { error: string } | null>(null);
  const sessions = (state?.sessions ?? []).filter((s) => s.upstreamId === upstreamId);

  const explain = async (input: ExplainInput) => {
    try {
      setAnswer(await api.explainRequest(input));
    } catch (e) {
      setAnswer({ error: errorMessage(e) });
    }
  };
  const ask = () => void explain({ upstream: upstreamId, method, path, ...(persona ? { persona } : {}) });
  useEffect(() => {
    if (initial) void explain({ upstream: upstreamId, ...initial });
    // Only a new prefilled request asks by itself; typing waits for the button.
  }, [upstreamId, initial?.method, initial?.path, initial?.persona]);

  const id = `ex-${upstreamId}`;
  return (
    <div className="subcard" aria-label={`Explain a request to ${upstreamId}`} role="group">
      <h4>Explain a request</h4>
      <div className="inline">
        <label className="visually-hidden" htmlFor={`${id}-m`}>Method to explain</label>
        <select id={`${id}-m`} value={method} onChange={(e) => setMethod(e.target.value)}>
          {METHODS.map((m) => <option key={m}>{m}</option>)}
        </select>
        <label className="visually-hidden" htmlFor={`${id}-p`}>Path to explain</label>
        <input id={`${id}-p`} value={path} onChange={(e) => setPath(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), ask())} />
        <label className="visually-hidden" htmlFor={`${id}-who`}>Explain as</label>
        <select id={`${id}-who`} value={persona} onChange={(e) => setPersona(e.target.value)}>
          <option value="">anonymous</option>
          {(state?.personas ?? []).map((p) => <option key={p.username} value={p.username}>{p.username}</option>)}
          {sessions.map((s) => <option key={s.id} value={`session:${s.id}`}>session of {s.email}</option>)}
        </select>
        <button type="button" onClick={ask}>Explain</button>
      </div>
      {answer && ('error' in answer ? (
        <p className="note note-bad" role="alert">{answer.error}</p>
      ) : (
        <div aria-live="polite">
          <p className="note">
            <span className={`badge badge-${answer.decision}`}>{answer.decision}</span> {answer.status} — {answer.reason}
          </p>
          <table className="kv" aria-label="Explanation">
            <tbody>
              <tr><th scope="row">Rule</th><td><code>{answer.rule ?? '(none)'}</code></td></tr>
              <tr><th scope="row">Forwarded to</th><td><code>{answer.target ?? 'not forwarded'}</code></td></tr>
              {Object.entries(answer.headers).map(([k, v]) => (
                <tr key={k}><th scope="row">{k}</th><td><code>{v}</code></td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
