// What the engine makes of a session's life: each step goes on the session's timeline and out
// as an event, so the console, the desktop and the tray follow it; a failed refresh is also a
// problem the user is told about.
import type { SessionView } from './api.ts';
import type { SessionEvents } from './auth/sessions.ts';
import type { SessionTimeline } from './auth/session-timeline.ts';
import type { EventHub } from './event-hub.ts';
import type { Session } from './identity.ts';

export interface SessionAnnouncerParts {
  timeline: SessionTimeline;
  events: EventHub;
  view(session: Session): Promise<SessionView>;
  report(scope: string, message: string): void;
}

export function sessionAnnouncer({ timeline, events, view, report }: SessionAnnouncerParts): SessionEvents {
  const who = (s: Session) => s.identity.email || s.identity.user;
  return {
    started: (s) => {
      timeline.record(s.id, 'signed-in', `signed in as ${who(s)}`);
      void view(s).then((session) => {
        events.emit({ type: 'session-started', session });
        events.stateChanged();
      });
    },
    updated: () => events.stateChanged(),
    refreshed: (s) => timeline.record(s.id, 'refreshed', 'new tokens from the provider'),
    ended: (sessionId, reason) => {
      timeline.record(sessionId, 'ended', reason);
      events.emit({ type: 'session-ended', sessionId });
      events.stateChanged();
    },
    refreshFailed: (s, message) => {
      timeline.record(s.id, 'refresh-failed', message);
      report(`session:${s.upstreamId}`, `could not refresh the session of ${who(s)} on ${s.upstreamId}: ${message}`);
    },
  };
}
