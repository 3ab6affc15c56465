// Which engine events deserve a desktop notification, and what it says: a session started,
// a session about to expire that cannot refresh (clicking it signs in again), an engine error —
// and, once at start, what already went wrong while the engine booted, before anyone listened.
import { Notification } from 'electron';
import type { ControlApi, EngineEvent, EngineState, SessionView } from '../engine/api.ts';

export interface NoticeText {
  title: string;
  body: string;
  /** What clicking the notification does. */
  onClick?: { signIn: string };
}

const PROBLEM_TITLE = 'Portcullis: a problem needs attention';

function minutesUntil(time: number, now: number): string {
  const minutes = Math.max(0, Math.round((time - now) / 60_000));
  return minutes <= 1 ? 'in a minute' : `in ${minutes} minutes`;
}

/** The notification for an event, if it deserves one. `sessions` names an expiring session's user and upstream. */
export function noticeFor(event: EngineEvent, sessions: readonly SessionView[], now: number): NoticeText | undefined {
  switch (event.type) {
    case 'session-started': {
      const s = event.session;
      const roles = s.roles?.length ? `; roles ${s.roles.join(', ')}` : '';
      return { title: `Signed in to ${s.upstreamId}`, body: `${s.email || s.user} (${s.groups.join(', ') || 'no groups'}${roles}) via ${s.providerId}` };
    }
    case 'session-expiring': {
      const s = sessions.find((x) => x.id === event.sessionId);
      const who = s ? `${s.email || s.user} on ${s.upstreamId}` : 'A session';
      return {
        title: 'Session expiring',
        body: `${who} expires ${minutesUntil(event.expiresAt, now)} and cannot refresh. Click to sign in again.`,
        ...(s ? { onClick: { signIn: s.upstreamId } } : {}),
      };
    }
    case 'error':
      return { title: PROBLEM_TITLE, body: event.message };
    default:
      return undefined;
  }
}

/** What is already wrong in a state: listeners that could not start, providers not ready, weak secret storage. */
export function noticesForState(state: EngineState): NoticeText[] {
  const notices: NoticeText[] = [];
  for (const u of state.upstreams) {
    if (u.status.state === 'error') notices.push({ title: `Portcullis: ${u.id} is not listening`, body: u.status.error ?? 'failed to start' });
  }
  for (const p of state.providers) {
    if (!p.status.ready && p.status.error) notices.push({ title: `Portcullis: provider ${p.id} is not ready`, body: p.status.error });
  }
  if (state.secretStorageWarning) notices.push({ title: 'Portcullis: secrets are weakly protected', body: state.secretStorageWarning });
  return notices;
}

/** Shows a notice when the desktop supports notifications; otherwise the tray alone tells. */
export function showNotice(notice: NoticeText, signIn?: (upstreamId: string) => void): void {
  if (!Notification.isSupported()) return;
  const shown = new Notification({ title: notice.title, body: notice.body });
  const action = notice.onClick;
  if (action && signIn) shown.on('click', () => signIn(action.signIn));
  shown.show();
}

/**
 * Notifies about the engine's events from now on, after first notifying what went wrong while
 * it started (its boot errors were emitted before this subscribed). Clicking an expiry notice
 * opens the upstream's sign-in in the system browser.
 */
export function notifyEngineEvents(api: ControlApi, openExternal: (url: string) => void, log: (line: string) => void): () => void {
  const signIn = (upstreamId: string) =>
    void api.signInUrl(upstreamId).then(openExternal, (err: unknown) => log(`could not start a sign-in for ${upstreamId}: ${String(err)}`));
  const show = (notice: NoticeText | undefined) => {
    if (notice) showNotice(notice, signIn);
  };

  const unsubscribe = api.subscribe((event) => {
    if (event.type !== 'session-expiring') {
      show(noticeFor(event, [], Date.now()));
      return;
    }
    // Rare, and usually long after the last state event: ask who it is rather than keep a copy.
    void api.listSessions().then(
      (sessions) => show(noticeFor(event, sessions, Date.now())),
      () => show(noticeFor(event, [], Date.now())),
    );
  });
  api.getState().then(
    (state) => noticesForState(state).forEach(show),
    (err: unknown) => show({ title: PROBLEM_TITLE, body: `could not read the engine's state: ${String(err)}` }),
  );
  return unsubscribe;
}
