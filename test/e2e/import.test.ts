// End to end in real Chromium: a seed-style docker-compose stack (Flask behind HAProxy, with
// oauth2-proxy answering auth requests) imported from the Upstreams view, then signed in to on
// the new upstream; and its production config shown per format.
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleInChromium, haveChromium } from './chromium.ts';
import { freePort } from '../support/free-port.ts';
import { screenshotPath } from '../support/screenshots.ts';


const composeFile = (flaskPort: number) => `services:
  haproxy:
    image: haproxy:2.8
    ports: ["8080:80"]
  web:
    build: .
    ports: ["${flaskPort}:5000"]
  oauth2-proxy:
    image: quay.io/oauth2-proxy/oauth2-proxy:v7.6.0
    command:
      - --http-address=0.0.0.0:4180
      - --upstream=static://202
      - --email-domain=*
      - --allowed-group=admins
      - --cookie-secret=never-copied-cookie-secret
`;

describe.skipIf(!haveChromium)('import in Chromium', () => {
  const e2e = consoleInChromium({ open: false });
  let port: number;
  beforeAll(async () => {
    port = await freePort();
  });

  it('imports a docker-compose stack from a chosen file and signs alice in on the new upstream', async () => {
    await e2e.page.goto(e2e.t.console.url);
    await e2e.page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Upstreams' }).click();
    await e2e.page.getByRole('button', { name: 'Import oauth2-proxy config…' }).click();
    const panel = e2e.page.getByRole('region', { name: 'Import oauth2-proxy config' });
    await panel.getByLabel('Choose a file').setInputFiles({ name: 'docker-compose.yml', mimeType: 'text/yaml', buffer: Buffer.from(composeFile(e2e.flask.port)) });
    await expect.poll(() => panel.getByLabel('Format').inputValue()).toBe('compose');
    await panel.getByRole('button', { name: 'Preview' }).click();

    const preview = panel.getByRole('region', { name: 'Import preview' });
    await preview.getByText(`compose service "web" ("haproxy" routes to it in the stack) at ${e2e.flask.url}`, { exact: false }).waitFor();
    await preview.getByText('cookie_secret: not needed locally', { exact: false }).waitFor();
    expect(await preview.textContent()).not.toContain('never-copied-cookie-secret');
    await preview.getByLabel('Id', { exact: true }).fill('web');
    await preview.getByLabel('Listen port', { exact: true }).fill(String(port));
    await e2e.page.screenshot({ path: screenshotPath('import'), fullPage: true });
    await preview.getByRole('button', { name: 'Add' }).click();

    const row = e2e.page.getByRole('listitem', { name: 'Upstream web' });
    await row.getByText('running').waitFor();
    expect((await e2e.t.savedConfig()).upstreams.find((u) => u.id === 'web')).toMatchObject({ target: e2e.flask.url, allowedGroups: ['admins'], listen: { port } });

    await row.getByText('Sign in as ▸').click();
    const [tab] = await Promise.all([e2e.page.context().waitForEvent('page'), row.getByRole('link', { name: 'Sign in to web as alice' }).click()]);
    await tab.waitForURL(`http://localhost:${port}/`);
    const seen = JSON.parse(await tab.locator('body').innerText()) as { headers: Record<string, string> };
    expect(seen.headers['x-forwarded-email']).toBe('alice@example.test');
    expect(seen.headers['x-forwarded-groups']).toBe('admins,devs');
    await tab.close();
  });

  it('shows the new upstream\'s production config, a tab per format', async () => {
    const row = e2e.page.getByRole('listitem', { name: 'Upstream web' });
    await row.getByRole('button', { name: /Production config/ }).click();
    const panel = row.getByRole('region', { name: 'Production config for web' });
    await panel.getByRole('tab', { name: 'HAProxy' }).click();
    await panel.getByLabel('HAProxy config').getByText('timeout connect 5s', { exact: false }).waitFor();
    await panel.getByRole('listitem').filter({ hasText: 'Identity provider: the built-in one exists only on your machine' }).waitFor();
    await e2e.page.screenshot({ path: screenshotPath('export'), fullPage: true });
  });
});
