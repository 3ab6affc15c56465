// @vitest-environment happy-dom
// "Mint a token" in the Sessions and Providers views against a real Engine and the real Flask
// app: extra claims are checked as you type, the token lands on the clipboard and never in the
// page, and the copied curl line calls the bearer-enabled upstream with it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { startTestEngine, rawRequest, type TestEngine } from '../support/engine.ts';
import { startFlask, type Echo, type Upstream } from '../support/flask.ts';
import { withNodeFetch } from './node-fetch.ts';
import { showView } from './show.tsx';

let t: TestEngine;
let flask: Upstream;
beforeAll(async () => {
  flask = await startFlask();
  t = await startTestEngine({ target: flask.url, app: { bearerTokens: true, claimHeaders: { 'X-User-Plan': 'plan' } } });
});
afterAll(async () => {
  await t?.close();
  await flask?.stop();
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

function payload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('Mint a token', () => {
  it('mints for a persona with extra claims; Copy token and Copy curl give a token the bearer upstream accepts', async () => {
    const user = userEvent.setup();
    showView(t.engine, 'sessions');
    const form = await screen.findByRole('form', { name: 'Mint a token' });
    await user.selectOptions(within(form).getByLabelText('Persona'), 'bob');
    await user.clear(within(form).getByLabelText('Lifetime (seconds)'));
    await user.type(within(form).getByLabelText('Lifetime (seconds)'), '600');
    // user-event reads { and [ as key descriptors: doubled, they type themselves.
    await user.type(within(form).getByLabelText('Extra claims (JSON)'), '{{"plan": "pro"}');
    await user.click(within(form).getByRole('button', { name: 'Mint token' }));

    const result = await within(form).findByRole('group', { name: 'Minted token' });
    expect(result.textContent).toMatch(/Access token for bob, expires in (9m|10m)/);
    await user.click(within(result).getByRole('button', { name: 'Copy token' }));
    const token = await navigator.clipboard.readText();
    expect(token.split('.')).toHaveLength(3);
    expect(document.body.textContent).not.toContain(token);
    const claims = payload(token);
    expect(claims).toMatchObject({ sub: 'bob', email: 'bob@example.test', plan: 'pro', aud: 'portcullis' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);

    await user.click(within(result).getByRole('button', { name: 'Copy curl' }));
    const curl = await navigator.clipboard.readText();
    expect(curl).toBe(`curl -H 'Authorization: Bearer ${token}' http://localhost:${t.appPort}/`);
    // What that curl line does: the app answers, with the persona and the extra claim as headers.
    const reply = await withNodeFetch(() => rawRequest(t.appPort, 'GET', '/', { headers: { Authorization: `Bearer ${token}` }, token: null }));
    expect(reply.status).toBe(200);
    const echo = reply.json<Echo>();
    expect(echo.headers['x-forwarded-email']).toBe('bob@example.test');
    expect(echo.headers['x-user-plan']).toBe('pro');
  });

  it.each([
    ['{"plan": ', /not valid JSON/],
    ['["pro"]', /claims must be a JSON object/],
    ['{"sub": "mallory"}', /"sub" is a protocol claim the provider sets itself; it cannot be set here/],
    ['{"aud": "elsewhere"}', /"aud" is a protocol claim/],
  ])('refuses extra claims %s as you type, with the reason, and mints nothing', async (text, reason) => {
    const user = userEvent.setup();
    showView(t.engine, 'providers');
    const form = await screen.findByRole('form', { name: 'Mint a token' });
    const box = within(form).getByLabelText('Extra claims (JSON)');
    await user.click(box);
    await user.paste(text);
    expect(within(form).getByText(reason)).toBeTruthy();
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect((within(form).getByRole('button', { name: 'Mint token' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(form).queryByRole('group', { name: 'Minted token' })).toBeNull();
  });

  it.each(['0', '86401', 'ten'])('refuses a lifetime of %s seconds: 1 to 86400 only', async (seconds) => {
    const user = userEvent.setup();
    showView(t.engine, 'sessions');
    const form = await screen.findByRole('form', { name: 'Mint a token' });
    await user.clear(within(form).getByLabelText('Lifetime (seconds)'));
    await user.type(within(form).getByLabelText('Lifetime (seconds)'), seconds);
    expect(within(form).getByText(/a whole number of seconds from 1 to 86400/)).toBeTruthy();
    expect((within(form).getByRole('button', { name: 'Mint token' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('mints for another audience when one is given (an API that checks its own aud)', async () => {
    const user = userEvent.setup();
    showView(t.engine, 'providers');
    const form = await screen.findByRole('form', { name: 'Mint a token' });
    await user.type(within(form).getByLabelText('Audience'), 'https://api.example.test');
    await user.click(within(form).getByRole('button', { name: 'Mint token' }));
    const result = await within(form).findByRole('group', { name: 'Minted token' });
    await user.click(within(result).getByRole('button', { name: 'Copy token' }));
    expect(payload(await navigator.clipboard.readText()).aud).toBe('https://api.example.test');
  });
});
