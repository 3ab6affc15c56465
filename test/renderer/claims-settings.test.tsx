// @vitest-environment happy-dom
// The claims settings in the upstream and provider forms against a real Engine: allowed roles,
// claim headers (name and claim checked as you type with the engine's rules), bearer tokens with
// extra audiences, and a provider's groups and roles claims, all reaching the settings file.
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { engineForViews, showView } from './show.tsx';

const engine = engineForViews();

async function openAdvanced() {
  const user = userEvent.setup();
  showView(engine().engine, 'upstreams');
  const row = await screen.findByRole('listitem', { name: 'Upstream app' });
  await user.click(within(row).getByRole('button', { name: 'Edit' }));
  const form = screen.getByRole('form', { name: /app/ });
  await user.click(within(form).getByText(/^Advanced/));
  return { user, form };
}

async function typeInto(user: ReturnType<typeof userEvent.setup>, input: HTMLElement, text: string) {
  await user.clear(input);
  if (text) {
    await user.click(input);
    await user.paste(text);
  }
}

describe('claims in the upstream form', () => {
  it('saves allowed roles, claim headers, bearer tokens and extra audiences to the settings', async () => {
    const { user, form } = await openAdvanced();
    await user.type(within(form).getByLabelText('Allowed roles'), 'reporter');
    await user.click(within(form).getByRole('button', { name: 'Add a claim header' }));
    const first = within(form).getByRole('group', { name: 'Claim header 1' });
    await typeInto(user, within(first).getByLabelText('Header name'), 'X-User-Tenant');
    await typeInto(user, within(first).getByLabelText('Claim'), 'tid');
    await user.click(within(form).getByRole('button', { name: 'Add a claim header' }));
    const second = within(form).getByRole('group', { name: 'Claim header 2' });
    await typeInto(user, within(second).getByLabelText('Header name'), 'X-Auth-User');
    await typeInto(user, within(second).getByLabelText('Claim'), '$');
    await user.click(within(form).getByRole('checkbox', { name: /Accept Authorization: Bearer/ }));
    await user.type(within(form).getByLabelText('Extra audiences'), 'reports-api');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    await screen.findByRole('listitem', { name: 'Upstream app' });

    const saved = (await engine().savedConfig()).upstreams[0];
    expect(saved).toMatchObject({
      allowedRoles: ['reporter'],
      claimHeaders: { 'X-User-Tenant': 'tid', 'X-Auth-User': '$' },
      bearerTokens: true,
      extraAudiences: ['reports-api'],
    });
  });

  it.each([
    ['X User', 'tid', /is not a valid HTTP header name/],
    ['X-Bad:Injected', 'tid', /is not a valid HTTP header name/],
    ['X_User', 'tid', /is not a valid HTTP header name/],
    ['Connection', 'tid', /managed by the proxy itself/],
    ['TRANSFER-ENCODING', 'tid', /managed by the proxy itself/],
    ['X-Forwarded-User', 'tid', /one of Portcullis's own identity headers/],
    ['x-auth-request-email', 'tid', /one of Portcullis's own identity headers/],
    ['X-User-Tenant', 'realm_access..roles', /has an empty part/],
    ['X-User-Tenant', '.roles', /has an empty part/],
    ['', 'tid', /a header name is needed/],
    ['X-User-Tenant', '', /a claim name, a dot path, or \$/],
  ])('refuses the claim header %j → %j as you type, and does not save it', async (name, claim, reason) => {
    const { user, form } = await openAdvanced();
    await user.click(within(form).getByRole('button', { name: 'Add a claim header' }));
    const row = within(form).getByRole('group', { name: 'Claim header 1' });
    await typeInto(user, within(row).getByLabelText('Header name'), name);
    await typeInto(user, within(row).getByLabelText('Claim'), claim);
    expect(within(row).getByText(reason)).toBeTruthy();
    const before = (await engine().savedConfig()).upstreams[0].claimHeaders;
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/Fix the claim headers first/);
    expect((await engine().savedConfig()).upstreams[0].claimHeaders).toEqual(before);
  });

  it('refuses a second header that is the same header in another spelling', async () => {
    const { user, form } = await openAdvanced();
    for (const [i, name] of [[1, 'X-User-Plan'], [2, 'x-USER-plan']] as const) {
      await user.click(within(form).getByRole('button', { name: 'Add a claim header' }));
      const row = within(form).getByRole('group', { name: `Claim header ${i}` });
      await typeInto(user, within(row).getByLabelText('Header name'), name);
      await typeInto(user, within(row).getByLabelText('Claim'), 'plan');
    }
    expect(within(within(form).getByRole('group', { name: 'Claim header 2' })).getByText('header x-USER-plan is the same header as X-User-Plan (names ignore case and _/-)')).toBeTruthy();
  });
});

describe('claims in the provider form', () => {
  it('the built-in provider can be edited: its roles claim is checked as you type and saved', async () => {
    const user = userEvent.setup();
    showView(engine().engine, 'providers');
    const card = await screen.findByRole('listitem', { name: 'Provider builtin' });
    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit provider builtin' });
    const roles = within(form).getByLabelText('Roles claim');
    await typeInto(user, roles, 'realm_access..roles');
    expect(within(form).getByText(/has an empty part/)).toBeTruthy();
    expect((within(form).getByRole('button', { name: 'Save provider' }) as HTMLButtonElement).disabled).toBe(true);
    await typeInto(user, roles, 'realm_access.roles');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    const saved = await screen.findByRole('listitem', { name: 'Provider builtin' });
    expect(saved.textContent).toContain('groups from groups, roles from realm_access.roles');
    expect((await engine().savedConfig()).providers[0]).toEqual({ id: 'builtin', type: 'builtin', rolesClaim: 'realm_access.roles' });
  });

  it('the Keycloak preset reads roles from realm_access.roles', async () => {
    const user = userEvent.setup();
    showView(engine().engine, 'providers');
    await user.click(await screen.findByRole('button', { name: 'Add provider' }));
    const form = screen.getByRole('form', { name: 'Add provider' });
    await user.selectOptions(within(form).getByLabelText('Preset'), 'keycloak');
    expect((within(form).getByLabelText('Roles claim') as HTMLInputElement).value).toBe('realm_access.roles');
    expect((within(form).getByLabelText('Groups claim') as HTMLInputElement).value).toBe('groups');
  });
});
