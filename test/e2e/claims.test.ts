// End to end in real Chromium: turn on bearer tokens and a claim header for an upstream in the
// console, mint a token for bob with an extra claim, copy the curl line, and run it with the
// machine's curl against the real Flask app: bob's identity and the claim arrive as headers,
// and the token never showed in the page or its URL.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { consoleInChromium, haveChromium } from './chromium.ts';
import type { Echo } from '../support/flask.ts';
import { screenshotPath } from '../support/screenshots.ts';

const run = promisify(execFile);

describe.skipIf(!haveChromium)('claims and minted tokens in Chromium', () => {
  const e2e = consoleInChromium({ context: { viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] } });

  const view = (name: string) => e2e.page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();

  it('turns on bearer tokens and a claim header for the app upstream', async () => {
    await view('Upstreams');
    await e2e.page.getByRole('listitem', { name: 'Upstream app' }).getByRole('button', { name: 'Edit' }).click();
    const form = e2e.page.getByRole('form', { name: 'Edit upstream app' });
    await form.getByText('Advanced: access rules, routes and headers').click();
    await form.getByRole('button', { name: 'Add a claim header' }).click();
    const header = form.getByRole('group', { name: 'Claim header 1' });
    await header.getByLabel('Header name', { exact: true }).fill('X-User-Plan');
    await header.getByLabel('Claim', { exact: true }).fill('plan');
    await form.getByRole('checkbox', { name: /Accept Authorization: Bearer/ }).check();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await e2e.page.getByRole('listitem', { name: 'Upstream app' }).waitFor();
    expect((await e2e.t.savedConfig()).upstreams[0]).toMatchObject({ bearerTokens: true, claimHeaders: { 'X-User-Plan': 'plan' } });
  });

  it('mints a token for bob in Sessions; the copied curl line calls the app as bob with the extra claim', async () => {
    await view('Sessions');
    const mint = e2e.page.getByRole('form', { name: 'Mint a token' });
    await mint.getByLabel('Persona').selectOption('bob');
    await mint.getByLabel('Extra claims (JSON)').fill('{"plan": "pro"}');
    await mint.getByRole('button', { name: 'Mint token' }).click();
    const minted = mint.getByRole('group', { name: 'Minted token' });
    await minted.getByText(/Access token for bob, expires in/).waitFor();
    await e2e.page.screenshot({ path: screenshotPath('mint-token'), fullPage: true });

    await minted.getByRole('button', { name: 'Copy curl' }).click();
    const curl = await e2e.page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toMatch(new RegExp(`^curl -H 'Authorization: Bearer [\\w.-]+' http://localhost:${e2e.t.appPort}/$`));
    const token = /Bearer ([\w.-]+)/.exec(curl)![1];
    expect(await e2e.page.locator('body').innerText()).not.toContain(token);
    expect(e2e.page.url()).not.toContain(token);

    // The line as a developer pastes it into a shell; -s for quiet, -w for the status.
    const { stdout } = await run('sh', ['-c', `${curl.replace(/^curl /, "curl -s -w '\\n%{http_code}' ")}`]);
    const [body, status] = [stdout.slice(0, stdout.lastIndexOf('\n')), stdout.slice(stdout.lastIndexOf('\n') + 1)];
    expect(status).toBe('200');
    const echo = JSON.parse(body) as Echo;
    expect(echo.headers['x-forwarded-email']).toBe('bob@example.test');
    expect(echo.headers['x-user-plan']).toBe('pro');
    expect(echo.cookies).toEqual({});
  });
});
