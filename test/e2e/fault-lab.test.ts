// The fault lab in real Chromium: the console's session card expires alice's access token (the
// app then sees a new one) and the Overview's "Switch to ▸" turns her browser into bob's.
import { beforeAll, describe, expect, it } from 'vitest';
import { createBrowser, type Browser as HttpBrowser } from '../support/browser.ts';
import type { Echo } from '../support/flask.ts';
import { signInWithHint } from '../support/signin.ts';
import { consoleInChromium, haveChromium } from './chromium.ts';

describe.skipIf(!haveChromium)('fault lab in Chromium', () => {
  const e2e = consoleInChromium({ app: { passAccessToken: true }, context: {} });
  let alice: HttpBrowser;
  let app: string;

  const seen = async (): Promise<Echo['headers']> => (await alice.get(`${app}/whoami`)).json<Echo>().headers;
  const view = (name: string) => e2e.page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();

  beforeAll(async () => {
    app = `http://localhost:${e2e.t.appPort}`;
    alice = createBrowser();
    await signInWithHint(alice, app, 'alice');
  });

  it('Expire access token on the session card: the app sees a new access token, the timeline says so and what is due next', async () => {
    const before = (await seen())['x-forwarded-access-token'];
    await view('Sessions');
    const card = e2e.page.getByRole('listitem', { name: 'Session of alice' });
    await card.getByRole('button', { name: 'Expire access token' }).click();
    await card.getByText('Access token expired: the next request refreshes it.').waitFor();
    const after = (await seen())['x-forwarded-access-token'];
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    const timeline = card.getByRole('list', { name: 'Session timeline' });
    await timeline.getByText('Refreshed').waitFor();
    expect(await timeline.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('Signed in'),
      expect.stringContaining('Access token expired'),
      expect.stringContaining('Refreshed'),
      expect.stringContaining('Access token expires'),
      expect.stringContaining('Refresh token expires'),
    ]);
  });

  it('Switch to ▸ bob on the Overview: the same browser reaches the app as bob, the Overview shows bob', async () => {
    await view('Overview');
    const overview = e2e.page.getByRole('listitem', { name: 'Overview of app' });
    await overview.getByText('Signed in:').waitFor();
    expect(await overview.getByRole('link', { name: 'Sign in as alice' }).count()).toBe(0);
    await overview.getByText('Switch to ▸').click();
    await overview.getByRole('button', { name: 'Switch to bob' }).click();
    await overview.getByText('bob@example.test').waitFor();
    expect((await seen())['x-forwarded-email']).toBe('bob@example.test');
  });
});
