// @vitest-environment happy-dom
// The personas editor's claims against a real Engine: one-click shapes of Keycloak, Entra,
// Auth0 and Okta tokens saved and carried in the built-in provider's tokens, protocol claims
// and bad JSON refused as you type and on save with nothing saved, and a persona's token lifetime.
import { afterEach, describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { defaultConfig } from '../../electron/engine/config/defaults.ts';
import { PROTOCOL_CLAIMS } from '../../electron/engine/config/builtin-idp-rules.ts';
import { objectIdFor } from '../../renderer/src/lib/claim-shapes.ts';
import { engineForViews, showView } from './show.tsx';

const engine = engineForViews();
afterEach(() => engine().engine.savePersonas(defaultConfig().builtinIdp.users));

async function bobsClaims() {
  const user = userEvent.setup();
  showView(engine().engine, 'providers');
  await user.click(await screen.findByRole('button', { name: 'Claims of persona bob' }));
  const editor = screen.getByRole('group', { name: 'Claims of persona bob' });
  return { user, editor, box: within(editor).getByLabelText('Claims (JSON)') as HTMLTextAreaElement };
}

function payload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('persona claims', () => {
  it('the Keycloak shape is saved, says which setting reads it, and its claims are in the persona’s tokens', async () => {
    const { user, editor, box } = await bobsClaims();
    await user.click(within(editor).getByRole('button', { name: 'Keycloak' }));
    expect(within(editor).getByRole('status').textContent).toMatch(/roles claim to realm_access\.roles/);
    await user.click(screen.getByRole('button', { name: 'Save personas' }));
    await screen.findByText('Personas saved.');
    const keycloak = { realm_access: { roles: ['devs'] }, resource_access: { portcullis: { roles: ['devs'] } } };
    expect(JSON.parse(box.value)).toEqual(keycloak);
    expect((await engine().savedConfig()).builtinIdp.users[1].claims).toEqual(keycloak);
    expect(screen.getByRole('button', { name: 'Claims of persona bob' }).textContent).toBe('Claims (2)');
    const { accessToken, idToken } = await engine().engine.mintToken({ persona: 'bob' });
    expect(payload(accessToken)).toMatchObject(keycloak);
    expect(payload(idToken)).toMatchObject(keycloak);
  });

  it.each([
    ['Entra', { roles: ['devs'], oid: objectIdFor('user:bob'), tid: objectIdFor('tenant'), upn: 'bob@example.test', groups: [objectIdFor('group:devs')] }],
    ['Auth0', { 'https://example.com/roles': ['devs'], 'https://example.com/permissions': ['read:devs'] }],
    ['Okta', { groups: ['devs'] }],
  ])('the %s shape fills the claims from the persona’s groups, merged over what is there', async (shape, expected) => {
    const { user, editor, box } = await bobsClaims();
    await user.click(box);
    await user.paste('{"plan": "pro"}');
    await user.click(within(editor).getByRole('button', { name: shape }));
    expect(JSON.parse(box.value)).toEqual({ plan: 'pro', ...expected });
    expect(box.getAttribute('aria-invalid')).toBeNull();
  });

  it('Entra object ids look like GUIDs and stay the same for the same name', () => {
    expect(objectIdFor('group:devs')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(objectIdFor('group:devs')).toBe(objectIdFor('group:devs'));
    expect(objectIdFor('group:devs')).not.toBe(objectIdFor('group:admins'));
  });

  it.each(PROTOCOL_CLAIMS)('refuses the protocol claim %s as you type and on save, and saves nothing', async (claim) => {
    const { user, editor, box } = await bobsClaims();
    await user.click(box);
    await user.paste(JSON.stringify({ plan: 'pro', [claim]: 'forged' }));
    const reason = `"${claim}" is a protocol claim the provider sets itself; it cannot be set here`;
    expect(within(editor).getByText(reason)).toBeTruthy();
    expect(box.getAttribute('aria-invalid')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Save personas' }));
    expect(screen.getByText(`Persona bob: claims: ${reason}`)).toBeTruthy();
    expect((await engine().engine.getState()).personas[1].claims).toBeUndefined();
    expect((await engine().savedConfig()).builtinIdp.users[1].claims).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"plan": pro}', /not valid JSON/],
    ['not an object', '["admins"]', /claims must be a JSON object/],
    ['over 16 KiB', JSON.stringify({ blob: 'x'.repeat(17 * 1024) }), /more than 16384 \(16 KiB\)/],
  ])('refuses claims that are %s', async (_name, text, reason) => {
    const { user, editor, box } = await bobsClaims();
    await user.click(box);
    await user.paste(text);
    expect(within(editor).getByText(reason)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save personas' }));
    expect(screen.getByText(/^Persona bob: claims:/)).toBeTruthy();
    expect((await engine().engine.getState()).personas[1].claims).toBeUndefined();
  });

  it('a persona’s access token lifetime is checked as you type and saved to the settings', async () => {
    const { user, editor } = await bobsClaims();
    const ttl = within(editor).getByLabelText('Access token lifetime (seconds)');
    await user.type(ttl, '2');
    expect(within(editor).getByText(/a whole number of seconds from 5 to 31536000/)).toBeTruthy();
    await user.type(ttl, '40');
    expect(within(editor).queryByText(/a whole number of seconds/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save personas' }));
    await screen.findByText('Personas saved.');
    expect((await engine().savedConfig()).builtinIdp.users[1].accessTokenTtl).toBe(240);
  });
});
