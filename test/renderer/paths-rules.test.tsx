// @vitest-environment happy-dom
// The upstream form's paths and rules against a real Engine: a path and a rule added in the
// form reach the settings, a regex is checked as you type, rules reorder, and "Explain a
// request" answers from the saved settings.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { showView } from './show.tsx';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({
    upstreams: ({ app }) => [{ id: 'app', enabled: true, listen: { host: '127.0.0.1', port: app }, target: 'http://127.0.0.1:9', provider: 'builtin', allowedGroups: ['devs'] }],
  });
});
afterAll(() => t?.close());
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

async function openForm() {
  const user = userEvent.setup();
  showView(t.engine, 'upstreams');
  const row = await screen.findByRole('listitem', { name: 'Upstream app' });
  await user.click(within(row).getByRole('button', { name: 'Edit' }));
  const form = screen.getByRole('form', { name: /app/ });
  await user.click(within(form).getByText(/^Paths and rules/));
  return { user, form };
}

describe('paths and rules in the upstream form', () => {
  it('adds a path and two rules, checks the regex as you type, reorders, and saves them to the settings', async () => {
    const { user, form } = await openForm();
    await user.click(within(form).getByRole('button', { name: 'Add a path' }));
    const path = within(form).getByRole('group', { name: 'Path 1' });
    await user.clear(within(path).getByLabelText('Path prefix'));
    await user.type(within(path).getByLabelText('Path prefix'), '/app/api/');
    await user.clear(within(path).getByLabelText('Target URL'));
    await user.type(within(path).getByLabelText('Target URL'), 'http://127.0.0.1:5000');

    await user.click(within(form).getByRole('button', { name: 'Add a rule' }));
    await user.click(within(form).getByRole('button', { name: 'Add a rule' }));
    const first = within(form).getByRole('listitem', { name: 'Rule rule-1' });
    const regex = within(first).getByLabelText('Path regex');
    await user.clear(regex);
    await user.type(regex, '^/app/api/admin/(');
    expect(within(first).getByText(/the regex does not compile/)).toBeTruthy();
    await user.type(regex, ')');
    expect(within(first).queryByText(/the regex does not compile/)).toBeNull();
    await user.click(within(first).getByRole('checkbox', { name: 'POST' }));
    await user.click(within(first).getByRole('checkbox', { name: 'API (401/403 as JSON)' }));
    await user.type(within(first).getByLabelText('Groups (any of)'), 'admins');
    await user.type(within(first).getByLabelText('Roles (any of)'), 'ops, auditor');
    const second = within(form).getByRole('listitem', { name: 'Rule rule-2' });
    await user.click(within(second).getByRole('checkbox', { name: 'Public (no sign-in)' }));
    await user.click(within(form).getByRole('button', { name: 'Move rule rule-2 up' }));

    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    await screen.findByRole('listitem', { name: 'Upstream app' });
    // The list shows each path target with its own request count and listening check.
    const listed = await screen.findByRole('list', { name: 'Paths of app' });
    expect(listed.textContent).toContain('/app/api/ → http://127.0.0.1:5000 · 0 requests');
    const saved = t.engine.config.upstreams[0];
    expect(saved.paths).toEqual([{ path: '/app/api/', target: 'http://127.0.0.1:5000' }]);
    expect(saved.rules).toEqual([
      { id: 'rule-2', path: '^/', public: true },
      { id: 'rule-1', path: '^/app/api/admin/()', methods: ['POST'], api: true, allowedGroups: ['admins'], allowedRoles: ['ops', 'auditor'] },
    ]);
  });

  it('explains a request from the saved settings', async () => {
    await t.engine.updateUpstream('app', { ...t.engine.config.upstreams[0], rules: [{ id: 'admin', path: '^/admin/', allowedGroups: ['admins'] }] });
    const { user, form } = await openForm();
    const panel = within(form).getByRole('group', { name: 'Explain a request to app' });
    await user.clear(within(panel).getByLabelText('Path to explain'));
    await user.type(within(panel).getByLabelText('Path to explain'), '/admin/x');
    await user.selectOptions(within(panel).getByLabelText('Explain as'), 'bob');
    await user.click(within(panel).getByRole('button', { name: 'Explain' }));
    await within(panel).findByText(/403 — denied by rule admin \(\^\/admin\/\): needs group admins; has devs/);
  });
});
