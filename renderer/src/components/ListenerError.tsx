// Why an upstream's listener is not running, in the engine's words
// (e.g. "port 4180 on 127.0.0.1 is in use by another program").
import type { UpstreamStatus } from '../../../electron/engine/api.ts';

export function ListenerError({ status }: { status: UpstreamStatus }) {
  if (!status.error) return null;
  return <p className="note note-bad">Not listening: {status.error}</p>;
}
