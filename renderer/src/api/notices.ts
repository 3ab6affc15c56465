// Problems the engine (or the live connection) reports as they happen, kept one per scope
// ("upstream:app", "builtinIdp", "events") so a repeat replaces rather than piles up, and
// dropped once the state shows the problem has gone.
import type { EngineState } from '../../../electron/engine/api.ts';

export interface Notice {
  scope: string;
  message: string;
}

/** The scope of the transport's own reports about the event stream. */
export const LIVE_CONNECTION_SCOPE = 'events';

export function withNotice(notices: Notice[], notice: Notice): Notice[] {
  return [...notices.filter((n) => n.scope !== notice.scope), notice];
}

export function withoutScope(notices: Notice[], scope: string): Notice[] {
  return notices.filter((n) => n.scope !== scope);
}

/**
 * Keeps the notices a new state does not contradict: a state arriving means the event stream
 * is back, and an upstream's error ends once the upstream is no longer in `error`.
 */
export function stillStanding(notices: Notice[], state: EngineState): Notice[] {
  return notices.filter((n) => {
    if (n.scope === LIVE_CONNECTION_SCOPE) return false;
    const upstreamId = /^upstream:(.+)$/.exec(n.scope)?.[1];
    if (upstreamId === undefined) return true;
    return state.upstreams.find((u) => u.id === upstreamId)?.status.state === 'error';
  });
}

/** What a scope is about, in words. */
export function scopeLabel(scope: string): string {
  if (scope === LIVE_CONNECTION_SCOPE) return 'Live connection';
  if (scope === 'builtinIdp') return 'Built-in identity provider';
  const upstreamId = /^upstream:(.+)$/.exec(scope)?.[1];
  return upstreamId === undefined ? scope : `Upstream ${upstreamId}`;
}
