// @vitest-environment happy-dom
// The service clients editor against a real Engine: a client's secret from an environment
// variable or stored as a value (never shown back, never in the page once saved), claims checked
// with the personas' rules, clients added and removed, and the token endpoint with a curl line
// that reads the secret from a variable.
import { afterEach, describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { engineForViews, showView } from './show.tsx';

const ENV = 'REPORTS_JOB_SECRET';
const SECRET = 'typed-in-the-page-s3cret';
const STORED = 'idp-client:nightly:clientSecret';
const engine = engineForViews({ builtinIdp: { clients: [{ clientId: 'reports-job', clientSecret: { env: ENV }, claims: { roles: ['reporter'] } }] } });
afterEach(() => engine().engine.saveServiceClients([{ clientId: 'reports-job', clientSecret: { env: ENV }, claims: { roles: ['reporter'] } }]));

async function editor() {
  const user = userEvent.setup();
  showView(engine().engine, 'providers');
  await screen.findByRole('group', { name: 'Service client reports-job' });
  return user;
}

async function addNightly(user: ReturnType<typeof userEvent.setup>, claims: string) {
  await user.click(screen.getByRole('button', { name: 'Add service client' }));
  const row = screen.getByRole('group', { name: 'Service client 2' });
  await user.type(within(row).getByLabelText('Client id'), 'nightly');
  await user.selectOptions(within(row).getByLabelText('Secret from'), 'store a value');
  await user.type(within(row).getByLabelText('Secret value'), SECRET);
  if (claims) {
    await user.click(within(row).getByLabelText('Claims (JSON)'));
    await user.paste(claims);
  }
  return screen.getByRole('group', { name: 'Service client nightly' });
}

describe('service clients editor', () => {
  it('shows a client with its variable, why it cannot get tokens, and the token endpoint with a curl line that reads the secret from it', async () => {
    await editor();
    const row = screen.getByRole('group', { name: 'Service client reports-job' });
    expect((within(row).getByLabelText('Environment variable') as HTMLInputElement).value).toBe(ENV);
    // The test process does not set the variable: the provider left the client out, and says why.
    expect(within(row).getByText(/environment variable REPORTS_JOB_SECRET is not set: service client "reports-job" cannot get tokens/)).toBeTruthy();
    expect(JSON.parse((within(row).getByLabelText('Claims (JSON)') as HTMLTextAreaElement).value)).toEqual({ roles: ['reporter'] });
    const endpoint = `http://127.0.0.1:${engine().idpPort}/token`;
    expect(screen.getByText(endpoint)).toBeTruthy();
    expect(screen.getByText(`curl -u reports-job:"$${ENV}" -d grant_type=client_credentials ${endpoint}`)).toBeTruthy();
  });

  it('adds a client whose secret is stored, never showing it back', async () => {
    const user = await editor();
    const row = await addNightly(user, '{"roles": ["nightly"]}');
    await user.click(screen.getByRole('button', { name: 'Save service clients' }));
    await screen.findByText('Service clients saved.');
    expect((await engine().engine.getState()).serviceClients[1]).toEqual({ clientId: 'nightly', claims: { roles: ['nightly'] }, secret: { source: 'store' } });
    expect(await engine().storedSecret(STORED)).toBe(SECRET);
    expect((await engine().savedConfig()).builtinIdp.clients?.[1].clientSecret).toEqual({ secretRef: STORED });
    const value = within(row).getByLabelText('Secret value') as HTMLInputElement;
    expect(value.type).toBe('password');
    expect(value.value).toBe('');
    expect(within(row).getByText('Stored. Leave empty to keep it; a value typed here replaces it.')).toBeTruthy();
    expect(document.documentElement.outerHTML).not.toContain(SECRET);
    expect(JSON.stringify(await engine().engine.getState())).not.toContain(SECRET);
  });

  it('refuses a protocol claim as you type and on save, and saves nothing', async () => {
    const user = await editor();
    const row = await addNightly(user, '{"sub": "admin"}');
    const reason = '"sub" is a protocol claim the provider sets itself; it cannot be set here';
    expect(within(row).getByText(reason)).toBeTruthy();
    expect(within(row).getByLabelText('Claims (JSON)').getAttribute('aria-invalid')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Save service clients' }));
    expect(screen.getByText(`Service client nightly: claims: ${reason}`)).toBeTruthy();
    expect((await engine().engine.getState()).serviceClients.map((c) => c.clientId)).toEqual(['reports-job']);
    expect(await engine().storedSecret(STORED)).toBeUndefined();
  });

  it('asks for a secret for a new client before saving', async () => {
    const user = await editor();
    await user.click(screen.getByRole('button', { name: 'Add service client' }));
    await user.type(within(screen.getByRole('group', { name: 'Service client 2' })).getByLabelText('Client id'), 'nightly');
    await user.click(screen.getByRole('button', { name: 'Save service clients' }));
    expect(screen.getByText('Service client nightly: secret: name the environment variable that holds it')).toBeTruthy();
    expect((await engine().engine.getState()).serviceClients).toHaveLength(1);
  });

  it('shows the engine’s refusal of a bad client id, naming the field, and saves nothing', async () => {
    const user = await editor();
    const row = screen.getByRole('group', { name: 'Service client reports-job' });
    await user.clear(within(row).getByLabelText('Client id'));
    await user.type(within(row).getByLabelText('Client id'), 'reports job');
    await user.click(screen.getByRole('button', { name: 'Save service clients' }));
    expect(await screen.findByText(/clients\[0\]\.clientId/)).toBeTruthy();
    expect((await engine().engine.getState()).serviceClients.map((c) => c.clientId)).toEqual(['reports-job']);
  });

  it('removes a client', async () => {
    const user = await editor();
    await user.click(screen.getByRole('button', { name: 'Remove service client reports-job' }));
    await user.click(screen.getByRole('button', { name: 'Save service clients' }));
    await screen.findByText('Service clients saved.');
    expect((await engine().engine.getState()).serviceClients).toEqual([]);
    expect((await engine().savedConfig()).builtinIdp.clients).toBeUndefined();
  });
});
