// Everyone signed in through any upstream, updated live as flows complete and sessions end;
// and, with the built-in provider, tokens minted for a persona without signing in.
import { useLive } from '../api/context.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { MintTokenPanel } from './MintTokenPanel.tsx';
import { SessionCard } from './SessionCard.tsx';

export function SessionsView() {
  const state = useLive().state;
  const sessions = state?.sessions ?? [];
  const canMint = (state?.providers ?? []).some((p) => p.type === 'builtin') && (state?.personas.length ?? 0) > 0;
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
      {canMint && <MintTokenPanel />}
    </section>
  );
}
