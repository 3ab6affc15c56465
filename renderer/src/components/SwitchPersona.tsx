// Who is signed in to one upstream, each with "Switch to ▸ persona": a fresh sign-in as that
// persona at the built-in provider, without the browser (the fault lab, docs/control-api.md).
import { useState } from 'react';
import type { SessionView } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';

export function SignedInSessions({ sessions }: { sessions: SessionView[] }) {
  const api = useApi();
  const live = useLive();
  const personas = live.state?.personas ?? [];
  const [note, setNote] = useState<string | null>(null);
  const switchTo = (s: SessionView, persona: string) =>
    api.switchPersona(s.id, persona).then(
      () => live.reload(),
      (e: unknown) => setNote(`Could not switch to ${persona}: ${errorMessage(e)}`),
    );
  return (
    <div className="signed-in">
      {sessions.map((s) => (
        <p key={s.id}>
          Signed in: <strong>{s.preferredUsername ?? s.user}</strong> <span className="meta">{s.email}</span>{' '}
          {s.providerId === 'builtin' && personas.length > 1 && (
            <details className="menu">
              <summary>Switch to ▸</summary>
              <ul>
                {personas.filter((p) => p.email !== s.email).map((p) => (
                  <li key={p.username}>
                    <button type="button" onClick={() => void switchTo(s, p.username)} aria-label={`Switch to ${p.username}`}>{p.username}</button>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </p>
      ))}
      {note && <p className="note note-bad" role="status">{note}</p>}
    </div>
  );
}
