// One signed-in session: who, from where, until when, and everything its tokens say.
import { useState } from 'react';
import type { SessionView, TimelineEvent } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { ClaimsTable } from '../components/ClaimsTable.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { Countdown } from '../components/Countdown.tsx';
import { TokenPanel } from '../components/TokenPanel.tsx';
import { curlCommand } from '../lib/format.ts';

export function SessionCard({ session: s }: { session: SessionView }) {
  const api = useApi();
  const live = useLive();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const url = live.state?.upstreams.find((u) => u.id === s.upstreamId)?.status.url ?? '';
  // The token a target takes as a bearer: the access token, or the ID token when there is none.
  const bearer = s.accessToken ? { raw: s.accessToken.raw, name: 'access token' } : s.idToken && { raw: s.idToken.raw, name: 'ID token' };

  const refresh = () =>
    api.refreshSession(s.id).then(
      () => setNote({ ok: true, text: 'Refreshed.' }),
      (e: unknown) => setNote({ ok: false, text: `Refresh failed: ${errorMessage(e)}` }),
    );
  const expire = (what: 'access' | 'session') =>
    api.expireSession(s.id, what).then(
      () => (what === 'session' ? live.reload() : setNote({ ok: true, text: 'Access token expired: the next request refreshes it.' })),
      (e: unknown) => setNote({ ok: false, text: `Could not expire: ${errorMessage(e)}` }),
    );
  const signOut = () =>
    api.signOutSession(s.id).then(
      () => live.reload(),
      (e: unknown) => setNote({ ok: false, text: `Sign-out failed: ${errorMessage(e)}` }),
    );

  return (
    <li className="card session" aria-label={`Session of ${s.preferredUsername ?? s.email}`}>
      <div className="upstream-head">
        <h3>{s.name ?? s.preferredUsername ?? s.user}</h3>
        <span className="meta">{s.email}</span>
      </div>
      <dl className="facts">
        <dt>Groups</dt><dd>{s.groups.length ? s.groups.join(', ') : 'none'}</dd>
        <dt>Roles</dt><dd>{s.roles?.length ? s.roles.join(', ') : 'none'}</dd>
        <dt>Provider</dt><dd>{s.providerId} (upstream {s.upstreamId})</dd>
        <dt>Expires</dt><dd>{s.expiresAt ? <Countdown until={s.expiresAt} /> : 'unknown'}</dd>
        <dt>Refresh</dt><dd>{s.willRefresh ? 'will refresh before expiry' : 'no refresh token: sign in again when it expires'}</dd>
      </dl>
      <div className="actions">
        {bearer && <CopyButton value={bearer.raw} label={`Copy ${bearer.name}`} text={`Copy ${bearer.name}`} small={false} />}
        {bearer && url && <CopyButton value={curlCommand(url, bearer.raw)} label="Copy curl command" text="Copy curl command" small={false} />}
        <button type="button" onClick={() => void refresh()}>Refresh now</button>
        <button type="button" onClick={() => void expire('access')}>Expire access token</button>
        <button type="button" onClick={() => void expire('session')}>Expire session</button>
        <button type="button" className="danger" onClick={() => void signOut()}>Sign out</button>
        {note && <span className={`note ${note.ok ? 'note-good' : 'note-bad'}`} role="status">{note.text}</span>}
      </div>
      <SessionTimeline session={s} />
      <div className="tokens">
        {s.idToken && <TokenPanel title="ID token" token={s.idToken} />}
        {s.accessToken && <TokenPanel title="Access token" token={s.accessToken} />}
        {s.userinfo && (
          <div className="subcard">
            <h4>Userinfo</h4>
            <ClaimsTable claims={s.userinfo} label="Userinfo claims" />
          </div>
        )}
      </div>
    </li>
  );
}

const TIMELINE_LABELS: Record<TimelineEvent['kind'], string> = {
  'signed-in': 'Signed in',
  refreshed: 'Refreshed',
  'refresh-failed': 'Refresh failed',
  'access-expired': 'Access token expired',
  switched: 'Switched persona',
  ended: 'Session ended',
};

/** What is due: the access token's expiry, and the refresh token's where the provider says. */
function dueEvents(s: SessionView): Array<{ time: number; label: string }> {
  const due = [
    ...(s.expiresAt ? [{ time: s.expiresAt, label: 'Access token expires' }] : []),
    ...(s.refreshExpiresAt ? [{ time: s.refreshExpiresAt, label: 'Refresh token expires' }] : []),
  ];
  return due.sort((a, b) => a.time - b.time);
}

/** What happened to the session, oldest first, then what is due (docs/control-api.md, "Session timeline"). */
function SessionTimeline({ session: s }: { session: SessionView }) {
  const due = dueEvents(s);
  if (s.timeline.length === 0 && due.length === 0) return null;
  return (
    <div className="subcard">
      <h4>Timeline</h4>
      <ol className="timeline" aria-label="Session timeline">
        {s.timeline.map((e, i) => (
          <li key={`${e.time}-${i}`} className={e.kind === 'refresh-failed' || e.kind === 'ended' ? 'note-bad' : undefined}>
            <time dateTime={new Date(e.time).toISOString()}>{new Date(e.time).toLocaleTimeString()}</time> {TIMELINE_LABELS[e.kind]}
            {e.detail && <span className="meta"> — {e.detail}</span>}
          </li>
        ))}
        {due.map((e) => (
          <li key={e.label} className="meta">
            <time dateTime={new Date(e.time).toISOString()}>{new Date(e.time).toLocaleString()}</time> {e.label}
          </li>
        ))}
      </ol>
    </div>
  );
}
