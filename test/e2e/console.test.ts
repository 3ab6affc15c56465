// End to end in real Chromium: the headless console against a real Engine, a real Flask
// target and the built-in provider. Add an upstream, sign in as alice, watch her claims
// arrive live, simulate losing `admins` and see the denial and its reason, then end it.
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleInChromium, haveChromium } from './chromium.ts';
import { freePort } from '../support/free-port.ts';
import { screenshotPath } from '../support/screenshots.ts';


describe.skipIf(!haveChromium)('console in Chromium', () => {
  const e2e = consoleInChromium({ context: { viewport: { width: 1280, height: 860 } }, open: false });
  let adminPort: number;
  beforeAll(async () => {
    adminPort = await freePort();
  });

  // Each screenshot is taken after asserting what it is meant to show (see the README's tour).
  const shot = (name: string) => e2e.page.screenshot({ path: screenshotPath(name), fullPage: true });
  const upstreamRows = () => e2e.page.getByRole('listitem', { name: /^Upstream / });
  const view = async (name: string) => {
    await e2e.page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();
  };

  it('opens with the printed URL, drops the token from the address bar and shows the first-run overview', async () => {
    await e2e.page.goto(e2e.t.console.url);
    expect(e2e.page.url()).toBe(`http://127.0.0.1:${e2e.t.console.port}/`);
    await e2e.page.getByRole('heading', { name: 'Overview' }).waitFor();
    await e2e.page.getByText(`Something is listening on ${e2e.flask.url}.`).waitFor();
    await e2e.page.getByRole('link', { name: 'Sign in as alice' }).waitFor();
    expect(await e2e.page.getByRole('link', { name: 'Sign in as alice' }).count()).toBe(1);
    expect(await e2e.page.getByText(`Something is listening on ${e2e.flask.url}.`).isVisible()).toBe(true);
    await shot('overview');
  });

  it('shows keyboard focus on the view links', async () => {
    await e2e.page.keyboard.press('Tab');
    await e2e.page.keyboard.press('Tab');
    await e2e.page.keyboard.press('ArrowRight');
    const focused = e2e.page.locator(':focus');
    expect(await focused.textContent()).toBe('Upstreams');
    expect(await focused.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  });

  it('adds an admins-only upstream with the form', async () => {
    await view('Upstreams');
    await e2e.page.getByRole('button', { name: 'Add upstream' }).first().click();
    const form = e2e.page.getByRole('form', { name: 'Add upstream' });
    await form.getByLabel('Id', { exact: true }).fill('admin');
    await form.getByLabel('Name', { exact: true }).fill('Admin panel');
    await form.getByLabel('Listen port', { exact: true }).fill(String(adminPort));
    await form.getByLabel('Target URL', { exact: true }).fill(e2e.flask.url);
    await form.getByText('port is free', { exact: false }).or(form.getByText('free', { exact: false })).first().waitFor();
    await form.getByText('Advanced: access rules, routes and headers').click();
    await form.getByLabel('Allowed groups', { exact: true }).fill('admins');
    expect(await form.getByLabel('Id', { exact: true }).inputValue()).toBe('admin');
    expect(await form.getByLabel('Listen port', { exact: true }).inputValue()).toBe(String(adminPort));
    expect(await form.getByLabel('Target URL', { exact: true }).inputValue()).toBe(e2e.flask.url);
    expect(await form.getByLabel('Allowed groups', { exact: true }).inputValue()).toBe('admins');
    await shot('upstream-form');
    await form.getByRole('button', { name: 'Add upstream' }).click();
    const row = e2e.page.getByRole('listitem', { name: 'Upstream admin' });
    await row.getByText('running').waitFor();
    expect(await upstreamRows().count()).toBe(2);
    expect(await row.getByText('running').isVisible()).toBe(true);
    expect(await e2e.page.getByRole('listitem', { name: 'Upstream app' }).isVisible()).toBe(true);
    await shot('upstreams');
    expect((await e2e.t.savedConfig()).upstreams.find((u) => u.id === 'admin')?.allowedGroups).toEqual(['admins']);
  });

  it('signs in as alice in a new tab; her claims appear live in Sessions', async () => {
    await view('Sessions');
    await e2e.page.getByText('Nobody is signed in').waitFor();
    await view('Upstreams');
    const row = e2e.page.getByRole('listitem', { name: 'Upstream admin' });
    await row.getByText('Sign in as ▸').click();
    const [tab] = await Promise.all([e2e.page.context().waitForEvent('page'), row.getByRole('link', { name: 'Sign in to admin as alice' }).click()]);
    await tab.waitForURL(`http://localhost:${adminPort}/`);
    expect(JSON.parse((await tab.locator('body').innerText()) || '{}').headers['x-forwarded-email']).toBe('alice@example.test');
    await view('Sessions');
    const card = e2e.page.getByRole('listitem', { name: 'Session of alice' });
    await card.getByRole('table', { name: 'ID token claims' }).getByText('alice@example.test').waitFor();
    await card.getByText('signature verified').first().waitFor();
    expect(await e2e.page.getByRole('listitem', { name: /^Session of / }).count()).toBe(1);
    expect(await card.getByRole('table', { name: 'ID token claims' }).getByText('alice@example.test').isVisible()).toBe(true);
    await shot('sessions');
    await tab.close();
  });

  it('a simulation without admins denies the admins-only upstream, with the reason in the log; ending it allows again', async () => {
    await view('Simulation');
    const panel = e2e.page.getByRole('listitem', { name: 'Simulation for admin' });
    await panel.getByRole('checkbox', { name: 'admins' }).uncheck();
    await panel.getByRole('button', { name: 'Start simulation' }).click();
    await e2e.page.getByRole('status').filter({ hasText: 'Identity simulation active' }).waitFor();
    expect(await panel.getByRole('checkbox', { name: 'admins' }).isChecked()).toBe(false);
    expect(await e2e.page.getByRole('status').filter({ hasText: 'Identity simulation active' }).count()).toBe(1);
    await shot('simulation');

    const denied = await e2e.page.context().request.get(`http://localhost:${adminPort}/reports`, { maxRedirects: 0 });
    expect(denied.status()).toBe(403);
    expect(denied.headers()['x-portcullis-simulated']).toBe('groups');

    await view('Requests');
    await e2e.page.getByLabel('Upstream', { exact: true }).selectOption('admin');
    const log = e2e.page.getByRole('table', { name: 'Requests, newest first' });
    expect(await log.getByRole('columnheader').allTextContents()).toEqual(['Time', 'Upstream', 'Request', 'Status', 'Decision', 'Reason', 'Explain']);
    const deniedRow = e2e.page.getByRole('row').filter({ hasText: '/reports' }).filter({ hasText: 'denied' });
    await deniedRow.getByText(/admins/).waitFor();
    expect(await deniedRow.first().textContent()).toMatch(/needs group admins/);
    expect(await e2e.page.getByLabel('Upstream', { exact: true }).inputValue()).toBe('admin');
    await shot('requests');

    await view('Simulation');
    await panel.getByRole('button', { name: 'End simulation' }).click();
    await e2e.page.getByRole('status').filter({ hasText: 'Identity simulation active' }).waitFor({ state: 'detached' });
    const allowed = await e2e.page.context().request.get(`http://localhost:${adminPort}/reports`, { maxRedirects: 0 });
    expect(allowed.status()).toBe(200);
    await view('Requests');
    await e2e.page.getByRole('row').filter({ hasText: '/reports' }).filter({ hasText: 'allowed' }).first().waitFor();
  });

  it('providers: the built-in provider, its redirect URLs and the personas', async () => {
    await view('Providers');
    await e2e.page.getByRole('listitem', { name: 'Provider builtin' }).waitFor();
    await e2e.page.getByRole('button', { name: 'Add provider' }).click();
    await e2e.page.getByRole('form', { name: 'Add provider' }).waitFor();
    expect(await e2e.page.getByRole('listitem', { name: /^Provider / }).count()).toBe(1);
    expect(await e2e.page.getByRole('listitem', { name: 'Provider builtin' }).getByText('ready', { exact: true }).isVisible()).toBe(true);
    expect(await e2e.page.getByRole('heading', { name: 'Built-in personas' }).isVisible()).toBe(true);
    await shot('providers');
  });

  it('reads well in the dark system theme', async () => {
    await e2e.page.emulateMedia({ colorScheme: 'dark' });
    await view('Sessions');
    await e2e.page.getByRole('listitem', { name: 'Session of alice' }).waitFor();
    expect(await e2e.page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
    // A dark e2e.page: the background's brightest channel stays low.
    const background = await e2e.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(Math.max(...(background.match(/\d+/g) ?? ['255']).slice(0, 3).map(Number))).toBeLessThan(96);
    await shot('sessions-dark');
    await e2e.page.emulateMedia({ colorScheme: 'light' });
  });
});
