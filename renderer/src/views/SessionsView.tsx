// Everyone signed in through any upstream, updated live as flows complete and sessions end.
import { useLive } from '../api/context.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { SessionCard } from './SessionCard.tsx';

export function SessionsView() {
  const sessions = useLive().state?.sessions ?? [];
  return (
    <section aria-labelledby="sessions-h">
      <h2 id="sessions-h">Sessions</h2>
      {sessions.length === 0 ? (
        <EmptyState title="Nobody is signed in">
          <p>Use “Sign in” on an upstream; the session shows up here as soon as the flow completes.</p>
        </EmptyState>
      ) : (
        <ul className="list">
          {sessions.map((s) => <SessionCard key={s.id} session={s} />)}
        </ul>
      )}
    </section>
  );
}
