// @vitest-environment happy-dom
// A real signed-in session (alice through the built-in IdP, by a no-JavaScript client) as the
// Sessions view shows it: claims with dates, signature, opaque tokens, reveal, copy curl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { SessionView } from '../../electron/engine/api.ts';
import { createBrowser } from '../integration/helpers/browser.ts';
import { signInWithHint } from '../integration/helpers/signin.ts';
import { startTestEngine, type TestEngine } from '../console/harness.ts';
import { withNodeFetch } from './node-fetch.ts';
import { showView } from './show.tsx';

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

  it('shows an opaque access token as opaque, with no claims table', async () => {
    expect(session.accessToken?.kind).toBe('opaque');
    const card = await aliceCard();
    const panel = within(card).getByRole('group', { name: 'Access token' });
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
});
