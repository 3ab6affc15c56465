// @vitest-environment happy-dom
// providerSignOut in the provider form (docs/configuration.md): on by default for the built-in
// provider, saved when changed, and for GitHub a plain note that there is no provider sign-out.
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { engineForViews, showView } from './show.tsx';

const engine = engineForViews();
const SIGN_OUT = /Sign out at the provider too/;

describe('provider sign-out in the provider form', () => {
  it('the built-in provider signs out at the provider by default; unticking it saves providerSignOut: false', async () => {
    const t = engine();
    const user = userEvent.setup();
    showView(t.engine, 'providers');
    const card = await screen.findByRole('listitem', { name: 'Provider builtin' });
    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit provider builtin' });
    const box = within(form).getByRole<HTMLInputElement>('checkbox', { name: SIGN_OUT });
    expect(box.checked).toBe(true);
    await user.click(box);
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    await screen.findByRole('listitem', { name: 'Provider builtin' });
    expect((await t.savedConfig()).providers.find((p) => p.id === 'builtin')).toMatchObject({ providerSignOut: false });
  });

  it('GitHub offers no provider sign-out and says so', async () => {
    const user = userEvent.setup();
    showView(engine().engine, 'providers');
    await user.click(await screen.findByRole('button', { name: 'Add provider' }));
    const form = screen.getByRole('form', { name: 'Add provider' });
    expect(within(form).getByRole<HTMLInputElement>('checkbox', { name: SIGN_OUT }).checked).toBe(false);
    await user.selectOptions(within(form).getByLabelText('Preset'), 'GitHub');
    expect(within(form).queryByRole('checkbox', { name: SIGN_OUT })).toBeNull();
    expect(within(form).getByText('GitHub has no provider sign-out: Sign out ends the Portcullis session only.')).toBeTruthy();
  });
});
