// @vitest-environment happy-dom
// The fault lab's provider faults in the console against a real engine and its built-in provider:
// set from the panel, shown by the banner on every view, refused with the API's reason, cleared.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { engineForViews, showView } from './show.tsx';

const engine = engineForViews();
const banner = () => screen.queryByText(/Built-in identity provider faults:/);

describe('provider faults in the console', () => {
  it('Set faults puts them on the provider and the banner names them; Clear faults ends them', async () => {
    const t = engine();
    const user = userEvent.setup();
    showView(t.engine, 'simulation');
    const form = await screen.findByRole('form', { name: 'Provider faults' });
    await user.selectOptions(within(form).getByLabelText('Refresh answers'), 'invalid_grant');
    await user.clear(within(form).getByLabelText('Latency (ms)'));
    await user.type(within(form).getByLabelText('Latency (ms)'), '250');
    await user.click(within(form).getByRole('button', { name: 'Set faults' }));

    await waitFor(() => expect(banner()?.textContent).toContain('refresh answers invalid_grant, 250 ms latency'));
    expect((await t.engine.getState()).idpFaults).toEqual({ signIn: null, refresh: 'invalid_grant', latencyMs: 250, down: false });

    await user.click(within(form).getByRole('button', { name: 'Clear faults' }));
    await waitFor(() => expect(banner()).toBeNull());
    expect((await t.engine.getState()).idpFaults).toBeUndefined();
    expect(within(form).getByLabelText<HTMLSelectElement>('Refresh answers').value).toBe('');
  });

  it('a latency beyond 30000 ms is refused with the reason, and no fault is set', async () => {
    const t = engine();
    const user = userEvent.setup();
    showView(t.engine, 'simulation');
    const form = await screen.findByRole('form', { name: 'Provider faults' });
    await user.click(within(form).getByLabelText(/Down/));
    await user.clear(within(form).getByLabelText('Latency (ms)'));
    await user.type(within(form).getByLabelText('Latency (ms)'), '30001');
    await user.click(within(form).getByRole('button', { name: 'Set faults' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('latencyMs must be a whole number from 0 to 30000');
    expect((await t.engine.getState()).idpFaults).toBeUndefined();
    expect(banner()).toBeNull();
  });
});
