// What happened to each session, for the session card (docs/control-api.md, "Session timeline"):
// signed in, refreshed or failed to refresh, access token expired, switched persona, ended.
// Kept in memory, the last TIMELINE_LENGTH events per session; an ended session's timeline is
// kept for a while so the card can still show why it ended.
import type { TimelineEvent } from '../api.ts';

export const TIMELINE_LENGTH = 20;
/** How many ended sessions' timelines are kept. */
const ENDED_KEPT = 50;

export class SessionTimeline {
  readonly #events = new Map<string, TimelineEvent[]>();
  readonly #ended: string[] = [];

  constructor(private readonly announce: (sessionId: string, event: TimelineEvent) => void) {}

  record(sessionId: string, kind: TimelineEvent['kind'], detail?: string): void {
    const event: TimelineEvent = { time: Date.now(), kind, ...(detail ? { detail } : {}) };
    const list = this.#events.get(sessionId) ?? [];
    list.push(event);
    if (list.length > TIMELINE_LENGTH) list.splice(0, list.length - TIMELINE_LENGTH);
    this.#events.set(sessionId, list);
    if (kind === 'ended') this.#forgetLater(sessionId);
    this.announce(sessionId, event);
  }

  of(sessionId: string): TimelineEvent[] {
    return [...(this.#events.get(sessionId) ?? [])];
  }

  #forgetLater(sessionId: string): void {
    this.#ended.push(sessionId);
    while (this.#ended.length > ENDED_KEPT) this.#events.delete(this.#ended.shift()!);
  }
}
