// @vitest-environment happy-dom
// The import preview and the export tabs against a real Engine passed in as the ControlApi:
// what a user sees before anything changes, what Add changes, and that each tab shows exactly
// what `portcullis export` prints.
import { beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { engineForViews, showView } from './show.tsx';
import { freePort } from '../support/free-port.ts';
import type { TestEngine } from '../support/engine.ts';

const engine = engineForViews();
let t: TestEngine;
beforeAll(() => {
  t = engine();
});

const SECRET = 'pasted-secret-never-shown';
const cfg = (port: number) => `http_address = "127.0.0.1:${port}"
upstreams = [ "http://127.0.0.1:5000/" ]
provider = "oidc"
oidc_issuer_url = "https://sso.example.com/realms/main"
client_id = "flask-app"
client_secret = "${SECRET}"
allowed_groups = [ "admins" ]
cookie_secret = "also-never-shown"
silence_ping_logging = true
`;

async function openImport() {
  const user = userEvent.setup();
  showView(t.engine, 'upstreams');
  await user.click(await screen.findByRole('button', { name: 'Import oauth2-proxy config…' }));
  return { user, panel: screen.getByRole('region', { name: 'Import oauth2-proxy config' }) };
}

describe('import oauth2-proxy config', () => {
  it('previews the upstream, the providers and every warning, and adds nothing until Add', async () => {
    const port = await freePort();
    const { user, panel } = await openImport();
    await user.click(within(panel).getByLabelText('Configuration text'));
    await user.paste(cfg(port));
    await user.click(within(panel).getByRole('button', { name: 'Preview' }));

    const preview = await within(panel).findByRole('region', { name: 'Import preview' });
    expect(preview.textContent).toContain('http://127.0.0.1:5000');
    expect(preview.textContent).toContain('groups admins');
    expect(within(preview).getByLabelText('Listen port')).toHaveProperty('value', String(port));
    expect(preview.textContent).toMatch(/oidc \(oidc, https:\/\/sso\.example\.com\/realms\/main\) — would be added/);
    expect(preview.textContent).toMatch(/builtin \(builtin\) — already there, kept as it is/);
    const warnings = within(preview).getAllByRole('listitem').map((li) => li.textContent);
    expect(warnings).toContainEqual(expect.stringMatching(/client_secret: not copied; Portcullis reads it from the environment variable OAUTH2_PROXY_CLIENT_SECRET/));
    expect(warnings).toContainEqual(expect.stringMatching(/silence_ping_logging: not imported/));
    expect(warnings).toContainEqual(expect.stringMatching(/cookie_secret: not needed locally/));
    expect(preview.textContent).not.toContain(SECRET);
    // The id "app" is taken, so the preview offers a free one.
    expect(within(preview).getByLabelText('Id')).toHaveProperty('value', 'app-2');
    expect((await t.engine.getState()).upstreams.map((u) => u.id)).toEqual(['app']);

    await user.clear(within(preview).getByLabelText('Id'));
    await user.type(within(preview).getByLabelText('Id'), 'flask');
    await user.click(within(preview).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Import oauth2-proxy config' })).toBeNull());
    const state = await t.engine.getState();
    expect(state.upstreams.find((u) => u.id === 'flask')).toMatchObject({ target: 'http://127.0.0.1:5000', provider: 'oidc', allowedGroups: ['admins'], listen: { port } });
    expect(state.providers.find((p) => p.id === 'oidc')).toMatchObject({ type: 'oidc', clientSecret: { env: 'OAUTH2_PROXY_CLIENT_SECRET' } });
    expect(JSON.stringify(await t.savedConfig())).not.toContain(SECRET);
    await screen.findByRole('listitem', { name: 'Upstream flask' });
    await t.engine.removeUpstream('flask');
    await t.engine.removeProvider('oidc');
  });

  it('shows why an unreadable file cannot be imported, and offers no Add', async () => {
    const { user, panel } = await openImport();
    await user.click(within(panel).getByLabelText('Configuration text'));
    await user.paste('upstreams = [ "http://127.0.0.1:5000"\nprovider = oidc');
    await user.selectOptions(within(panel).getByLabelText('Format'), 'cfg');
    await user.click(within(panel).getByRole('button', { name: 'Preview' }));
    await within(panel).findByText(/cannot read the oauth2-proxy config/);
    expect(within(panel).queryByRole('button', { name: 'Add' })).toBeNull();
  });

  it('refuses through the ordinary add checks: a port another upstream uses is named, nothing is added', async () => {
    const { user, panel } = await openImport();
    await user.click(within(panel).getByLabelText('Configuration text'));
    await user.paste(cfg(await freePort()).replace('provider = "oidc"\noidc_issuer_url = "https://sso.example.com/realms/main"\n', ''));
    await user.click(within(panel).getByRole('button', { name: 'Preview' }));
    const preview = await within(panel).findByRole('region', { name: 'Import preview' });
    await user.clear(within(preview).getByLabelText('Listen port'));
    await user.type(within(preview).getByLabelText('Listen port'), String(t.appPort));
    await user.click(within(preview).getByRole('button', { name: 'Add' }));
    await within(panel).findByText(new RegExp(`${t.appPort}`));
    expect((await t.engine.getState()).upstreams.map((u) => u.id)).toEqual(['app']);
  });
});

describe('production config tabs', () => {
  it('shows each format exactly as the export command prints it, with what differs from production', async () => {
    const user = userEvent.setup();
    showView(t.engine, 'upstreams');
    const row = await screen.findByRole('listitem', { name: 'Upstream app' });
    await user.click(within(row).getByRole('button', { name: /Production config/ }));
    const panel = within(row).getByRole('region', { name: 'Production config for app' });
    const tabs = within(panel).getAllByRole('tab').map((tab) => tab.textContent);
    expect(tabs).toEqual(['oauth2-proxy', 'nginx', 'Caddy', 'HAProxy', 'Traefik']);

    for (const [label, format, line] of [
      ['oauth2-proxy', 'oauth2-proxy', `http_address = "127.0.0.1:${t.appPort}"`],
      ['HAProxy', 'haproxy', 'timeout connect 5s'],
      ['Caddy', 'caddy', 'forward_auth'],
      ['nginx', 'nginx', 'auth_request /oauth2/auth;'],
      ['Traefik', 'traefik', 'forwardAuth:'],
    ] as const) {
      await user.click(within(panel).getByRole('tab', { name: label }));
      expect(within(panel).getByRole('tab', { name: label }).getAttribute('aria-selected')).toBe('true');
      const text = await within(panel).findByLabelText(`${label} config`);
      expect(text.textContent).toContain(line);
      expect(text.textContent).toBe((await t.engine.exportUpstream('app', format)).text);
    }
    const notes = within(panel).getAllByRole('listitem').map((li) => li.textContent).join('\n');
    expect(notes).toMatch(/TLS:/);
    expect(notes).toMatch(/Cookie domain:/);
    expect(notes).toMatch(/Identity provider: the built-in one exists only on your machine/);
    expect(within(panel).getByRole('button', { name: 'Copy the Traefik config' })).toBeTruthy();
    expect(within(panel).getByRole('button', { name: 'Save as traefik-dynamic.yml…' })).toBeTruthy();
  });
});
