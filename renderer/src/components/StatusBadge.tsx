// A listener's state in words and colour (colour is never the only signal).
import type { ListenerState } from '../../../electron/engine/api.ts';

export function StatusBadge({ state }: { state: ListenerState }) {
  return <span className={`badge badge-${state}`}>{state}</span>;
}
