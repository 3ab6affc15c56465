// Says whether the app behind an upstream answers: the engine's last probe when it has one,
// else a check made now.
import type { UpstreamStatus } from '../../../electron/engine/api.ts';
import { useApi } from '../api/context.ts';
import { useDebouncedCheck } from '../lib/useDebouncedCheck.ts';

export function TargetStatus({ target, status }: { target: string; status: UpstreamStatus }) {
  const api = useApi();
  const check = useDebouncedCheck(status.targetReachable === undefined ? () => api.checkTarget(target) : null, target, 0);
  const reachable = status.targetReachable ?? (check.status === 'done' ? check.result.ok : undefined);
  if (reachable === undefined) return <p className="note note-muted">Checking the app behind it…</p>;
  return (
    <p className={`note ${reachable ? 'note-good' : 'note-warn'}`}>
      {reachable ? `Something is listening on ${target}.` : `Nothing is listening on ${target} yet: start your app there.`}
    </p>
  );
}
