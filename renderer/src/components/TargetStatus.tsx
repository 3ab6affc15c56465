// Says whether the app behind an upstream answers, from the engine's own probe of the target,
// which it repeats every few seconds while a UI is watching.
import type { UpstreamStatus } from '../../../electron/engine/api.ts';

export function TargetStatus({ target, status }: { target: string; status: UpstreamStatus }) {
  const reachable = status.targetReachable;
  if (reachable === undefined) return <p className="note note-muted">Checking the app behind it…</p>;
  return (
    <p className={`note ${reachable ? 'note-good' : 'note-warn'}`}>
      {reachable ? `Something is listening on ${target}.` : `Nothing is listening on ${target} yet: start your app there.`}
    </p>
  );
}
