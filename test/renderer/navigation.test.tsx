// @vitest-environment happy-dom
// Moving around without a mouse, and a request log of 10,000 real engine entries that keeps
// only a screenful of rows in the page.
import { beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { LOG_CAPACITY } from '../../renderer/src/api/useLiveEngine.ts';
import { ROW_HEIGHT } from '../../renderer/src/views/RequestRow.tsx';
import type { TestEngine } from '../support/engine.ts';
import { engineForViews, showView } from './show.tsx';

const engine = engineForViews();
let t: TestEngine;
beforeAll(() => {
  t = engine();
});

const LABELS = ['Overview', 'Upstreams', 'Providers', 'Sessions', 'Simulation', 'Requests'];

describe('view links from the keyboard', () => {
  const focused = () => document.activeElement?.textContent;

  it('Tab walks the skip link and then every view in order', async () => {
    const user = userEvent.setup();
    showView(t.engine, 'overview');
    await screen.findByRole('heading', { name: 'Overview' });
    await user.tab();
    expect(focused()).toBe('Skip to content');
    const seen: Array<string | null | undefined> = [];
    for (const _ of LABELS) {
      await user.tab();
      seen.push(focused());
    }
    expect(seen).toEqual(LABELS);
  });

  it.each([
    ['Overview', '{ArrowRight}', 'Upstreams'],
    ['Overview', '{ArrowLeft}', 'Requests'],
    ['Requests', '{ArrowRight}', 'Overview'],
    ['Sessions', '{Home}', 'Overview'],
    ['Upstreams', '{End}', 'Requests'],
  ])('from %s, %s moves focus to %s', async (from, key, to) => {
    const user = userEvent.setup();
    showView(t.engine, 'overview');
    await screen.findByRole('heading', { name: 'Overview' });
    screen.getByRole('link', { name: from }).focus();
    await user.keyboard(key);
    expect(focused()).toBe(to);
  });

  it('Enter on a focused view link opens that view and marks it current', async () => {
    const user = userEvent.setup();
    showView(t.engine, 'overview');
    await screen.findByRole('heading', { name: 'Overview' });
    screen.getByRole('link', { name: 'Overview' }).focus();
    await user.keyboard('{ArrowRight}{ArrowRight}{Enter}');
    await screen.findByRole('heading', { name: 'Providers' });
    expect(screen.getByRole('link', { name: 'Providers' }).getAttribute('aria-current')).toBe('page');
  });
});

describe('request log with 10,000 entries', () => {
  it('names its columns, renders only a screenful of rows, and the rows under the scroll position', async () => {
    for (let i = 0; i < LOG_CAPACITY; i++) {
      t.engine.log.add({
        time: Date.now(), upstreamId: 'app', method: 'GET', path: `/item/${i}`, status: 401,
        decision: 'unauthenticated', reason: 'not signed in', durationMs: 1,
      });
    }
    showView(t.engine, 'requests');
    const table = await screen.findByRole('table', { name: 'Requests, newest first' });
    await screen.findByText(`${LOG_CAPACITY} rows`);
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Time', 'Upstream', 'Request', 'Status', 'Decision', 'Reason', 'Explain']);
    // The header row counts as row 1.
    expect(table.getAttribute('aria-rowcount')).toBe(String(LOG_CAPACITY + 1));
    const rows = () => screen.getAllByRole('row').filter((r) => within(r).queryAllByRole('cell').length > 0);
    expect(rows().length).toBeGreaterThan(5);
    expect(rows().length).toBeLessThan(60);
    expect(rows()[0].textContent).toContain(`/item/${LOG_CAPACITY - 1}`);
    expect(rows()[0].getAttribute('aria-rowindex')).toBe('2');

    table.scrollTop = ROW_HEIGHT * 5_000;
    fireEvent.scroll(table);
    await waitFor(() => expect(rows().some((r) => r.getAttribute('aria-rowindex') === '5002')).toBe(true));
    expect(rows().length).toBeLessThan(60);
    expect(within(table).getAllByRole('columnheader')).toHaveLength(7);
  });

  it("replays a row's request against the current settings with Explain", async () => {
    t.engine.log.add({ time: Date.now(), upstreamId: 'app', method: 'GET', path: '/explain-me', status: 401, decision: 'unauthenticated', reason: 'not signed in', durationMs: 1 });
    showView(t.engine, 'requests');
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Explain GET /explain-me' }));
    const panel = await screen.findByRole('group', { name: 'Explain a request to app' });
    await within(panel).findByText(/302 — not signed in: redirected to sign-in/);
    expect(within(panel).getByRole('table', { name: 'Explanation' }).textContent).toContain('not forwarded');
  });
});
