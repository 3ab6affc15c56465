// @vitest-environment happy-dom
// A real signed-in session (alice through the built-in IdP, by a no-JavaScript client) as the
// Sessions view shows it: claims with dates, signature, JWT and opaque tokens, reveal, copy, the
// expiry countdown, Refresh now and Sign out.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { SessionView } from '../../electron/engine/api.ts';
import { createBrowser } from '../support/browser.ts';
import { signInWithHint } from '../support/signin.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { withNodeFetch } from './node-fetch.ts';
import { showView } from './show.tsx';
import { formatCountdown } from '../../renderer/src/lib/format.ts';
import { TokenPanel } from '../../renderer/src/components/TokenPanel.tsx';

let t: TestEngine;
let session: SessionView;
beforeAll(async () => {
  t = await startTestEngine();
  // The client is node:http underneath; the engine's own calls to the IdP need Node's fetch.
  [session] = await withNodeFetch(async () => {
    await signInWithHint(createBrowser(), `http://localhost:${t.appPort}`, 'alice');
    return t.engine.listSessions();
  });
});
afterAll(async () => {
  cleanup();
  await t?.close();
});

async function aliceCard() {
  showView(t.engine, 'sessions');
  return screen.findByRole('listitem', { name: 'Session of alice' });
}

describe('a signed-in session', () => {
  it('shows who, the provider and the groups', async () => {
    const card = await aliceCard();
    expect(within(card).getByRole('heading', { name: 'Alice Admin' })).toBeTruthy();
    expect(card.textContent).toContain('admins, devs');
    expect(card.textContent).toContain('builtin (upstream app)');
    cleanup();
  });

  it.each(['exp', 'iat'])('shows the ID token’s %s claim as a date', async (claim) => {
    const card = await aliceCard();
    const table = within(card).getByRole('table', { name: 'ID token claims' });
    const seconds = session.idToken!.jwt!.claims[claim] as number;
    const row = within(table).getByRole('rowheader', { name: claim }).closest('tr')!;
    expect(row.textContent).toContain(new Date(seconds * 1000).toLocaleString());
    cleanup();
  });

  it('says the ID token’s signature was verified', async () => {
    const card = await aliceCard();
    expect(within(within(card).getByRole('group', { name: 'ID token' })).getByText('signature verified')).toBeTruthy();
    cleanup();
  });

  it('shows what the provider’s userinfo endpoint answered for the session', async () => {
    const card = await aliceCard();
    const table = within(card).getByRole('table', { name: 'Userinfo claims' });
    expect(within(table).getByRole('rowheader', { name: 'email' }).closest('tr')!.textContent).toContain('alice@example.test');
    expect(within(table).getByRole('rowheader', { name: 'sub' }).closest('tr')!.textContent).toContain('alice');
    cleanup();
  });

  it('shows the access token decoded: the built-in provider issues JWTs (RFC 9068), verified against its keys', async () => {
    expect(session.accessToken?.kind).toBe('jwt');
    const card = await aliceCard();
    const panel = within(card).getByRole('group', { name: 'Access token' });
    expect(within(panel).getByText('signature verified')).toBeTruthy();
    const table = within(panel).getByRole('table', { name: 'Access token claims' });
    expect(within(table).getByRole('rowheader', { name: 'aud' }).closest('tr')!.textContent).toContain('portcullis');
    cleanup();
  });

  it('shows an opaque access token (as GitHub issues) as opaque, with no claims table', () => {
    render(<TokenPanel title="Access token" token={{ kind: 'opaque', raw: 'gho_opaque-token' }} />);
    const panel = screen.getByRole('group', { name: 'Access token' });
    expect(within(panel).getByText('opaque')).toBeTruthy();
    expect(within(panel).getByText(/An opaque token/)).toBeTruthy();
    expect(within(panel).queryByRole('table')).toBeNull();
    cleanup();
  });

  it.each(['ID token', 'Access token'])('keeps the raw %s out of the page until Reveal is clicked', async (title) => {
    const user = userEvent.setup();
    const card = await aliceCard();
    const raw = title === 'ID token' ? session.idToken!.raw : session.accessToken!.raw;
    expect(document.body.textContent).not.toContain(raw);
    const reveal = within(within(card).getByRole('group', { name: title })).getByRole('button', { name: 'Reveal raw token' });
    expect(reveal.getAttribute('aria-expanded')).toBe('false');
    await user.click(reveal);
    expect(reveal.getAttribute('aria-expanded')).toBe('true');
    expect(within(card).getByLabelText(`${title}, raw`).textContent).toBe(raw);
    await user.click(within(card).getByRole('button', { name: 'Hide raw token' }));
    expect(document.body.textContent).not.toContain(raw);
    cleanup();
  });

  it('copies a curl command that carries the token in a header, never in the URL', async () => {
    const user = userEvent.setup();
    const card = await aliceCard();
    await user.click(within(card).getByRole('button', { name: 'Copy curl command' }));
    const command = await navigator.clipboard.readText();
    const token = session.accessToken!.raw;
    expect(command).toContain(`-H 'Authorization: Bearer ${token}'`);
    const urls = [...command.matchAll(/'(https?:\/\/[^']*)'/g)].map((m) => m[1]);
    expect(urls).toEqual([`http://localhost:${t.appPort}/`]);
    expect(urls[0]).not.toContain(token);
    cleanup();
  });

  it('copies the access token from the action row, whose buttons are all one size', async () => {
    const user = userEvent.setup();
    const card = await aliceCard();
    const row = within(card).getByRole('button', { name: 'Refresh now' }).parentElement!;
    const buttons = within(row).getAllByRole('button');
    expect(buttons.map((b) => b.textContent?.match(/^(Copy access token|Copy curl command|Refresh now|Expire access token|Expire session|Sign out)/)?.[0])).toEqual([
      'Copy access token', 'Copy curl command', 'Refresh now', 'Expire access token', 'Expire session', 'Sign out',
    ]);
    expect(buttons.map((b) => b.className.includes('small'))).toEqual([false, false, false, false, false, false]);
    await user.click(within(row).getByRole('button', { name: 'Copy access token' }));
    expect(await navigator.clipboard.readText()).toBe(session.accessToken!.raw);
    cleanup();
  });

  it('counts down to the expiry every second, and says expired once it has passed', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const card = await aliceCard();
      // The card came with a state load, outside act(): let its effects (the ticking) start.
      await act(async () => {});
      const expires = within(card).getByText('Expires').nextElementSibling!;
      const shown = () => `in ${formatCountdown(session.expiresAt! - Date.now())}`;
      expect(expires.textContent).toBe(shown());
      const before = expires.textContent;
      act(() => vi.advanceTimersByTime(3_000));
      expect(expires.textContent).toBe(shown());
      expect(expires.textContent).not.toBe(before);
      act(() => {
        vi.setSystemTime(session.expiresAt! - 1);
        vi.advanceTimersByTime(1_000);
      });
      expect(expires.textContent).toBe('expired');
    } finally {
      vi.useRealTimers();
      cleanup();
    }
  });

  it('the timeline shows the sign-in, then when the access token and the refresh token expire', async () => {
    const card = await aliceCard();
    const items = within(within(card).getByRole('list', { name: 'Session timeline' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/Signed in — signed in as alice@example\.test$/),
      `${new Date(session.expiresAt!).toLocaleString()} Access token expires`,
      `${new Date(session.refreshExpiresAt!).toLocaleString()} Refresh token expires`,
    ]);
    cleanup();
  });

  it('Refresh now gets new tokens from the provider and says so', async () => {
    const user = userEvent.setup();
    const card = await aliceCard();
    await withNodeFetch(async () => {
      await user.click(within(card).getByRole('button', { name: 'Refresh now' }));
      await within(card).findByText('Refreshed.');
    });
    const [refreshed] = await t.engine.listSessions();
    expect(refreshed.accessToken!.raw).not.toBe(session.accessToken!.raw);
    await user.click(within(within(card).getByRole('group', { name: 'Access token' })).getByRole('button', { name: 'Reveal raw token' }));
    await waitFor(() => expect(within(card).getByLabelText('Access token, raw').textContent).toBe(refreshed.accessToken!.raw));
    cleanup();
  });

  it('Sign out ends the session: the card goes and the empty state shows', async () => {
    const user = userEvent.setup();
    const card = await aliceCard();
    await withNodeFetch(async () => {
      await user.click(within(card).getByRole('button', { name: 'Sign out' }));
      await screen.findByText('Nobody is signed in');
    });
    expect(screen.queryByRole('listitem', { name: 'Session of alice' })).toBeNull();
    expect(await t.engine.listSessions()).toEqual([]);
    cleanup();
  });
});
