// Which engine events deserve a desktop notification, and what it says: a session started,
// a session about to expire that cannot refresh (clicking it signs in again), an engine error.
import { Notification } from 'electron';
import type { ControlApi, EngineEvent, EngineState } from '../engine/api.ts';

export interface NoticeText {
  title: string;
  body: string;
  /** What clicking the notification does. */
  onClick?: { signIn: string };
}

function minutesUntil(time: number, now: number): string {
  const minutes = Math.max(0, Math.round((time - now) / 60_000));
  return minutes <= 1 ? 'in a minute' : `in ${minutes} minutes`;
}

/** The notification for an event, if it deserves one. `state` names the session's user and upstream. */
export function noticeFor(event: EngineEvent, state: EngineState | undefined, now: number): NoticeText | undefined {
  switch (event.type) {
    case 'session-started': {
      const s = event.session;
      return { title: `Signed in to ${s.upstreamId}`, body: `${s.email || s.user} (${s.groups.join(', ') || 'no groups'}) via ${s.providerId}` };
    }
    case 'session-expiring': {
      const s = state?.sessions.find((x) => x.id === event.sessionId);
      const who = s ? `${s.email || s.user} on ${s.upstreamId}` : 'A session';
      return {
        title: 'Session expiring',
        body: `${who} expires ${minutesUntil(event.expiresAt, now)} and cannot refresh. Click to sign in again.`,
        ...(s ? { onClick: { signIn: s.upstreamId } } : {}),
      };
    }
    case 'error':
      return { title: 'Portcullis: a problem needs attention', body: event.message };
    default:
      return undefined;
  }
}

/** Shows a notice when the desktop supports notifications; otherwise the tray alone tells. */
export function showNotice(notice: NoticeText, signIn: (upstreamId: string) => void): void {
  if (!Notification.isSupported()) return;
  const shown = new Notification({ title: notice.title, body: notice.body });
  const action = notice.onClick;
  if (action) shown.on('click', () => signIn(action.signIn));
  shown.show();
}

/** Notifies about the engine's events from now on; `signIn` runs when an expiry notice is clicked. */
export function notifyEngineEvents(api: ControlApi, signIn: (upstreamId: string) => void): () => void {
  let state: EngineState | undefined;
  return api.subscribe((event) => {
    if (event.type === 'state') state = event.state;
    const notice = noticeFor(event, state, Date.now());
    if (notice) showNotice(notice, signIn);
  });
}
