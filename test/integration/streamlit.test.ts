// A real Streamlit app (CORS and XSRF protection on) through Portcullis: the page and its XSRF
// cookie load, and the /_stcore/stream WebSocket upgrade works when signed in and is refused
// with 401 when not.
import { describe, expect, it } from 'vitest';
import { streamlitSetup } from '../support/streamlit.ts';
import { test } from '../support/fixture.ts';
import { upgradeRequest, type Browser } from '../support/browser.ts';

test.override('setup', { scope: 'file' }, streamlitSetup);

let app: string;
let alice: Browser;

test.beforeAll(async ({ app: url, alice: signedIn }) => {
  [app, alice] = [url, signedIn];
});

const cookieHeader = (browser: Browser): [string, string] => ['Cookie', browser.cookieHeader(app)];

describe('Streamlit behind Portcullis', () => {
  it('loads the page and its health check when signed in', async () => {
    const page = await alice.get(`${app}/`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<div id="root"|streamlit/i);
    const health = await alice.get(`${app}/_stcore/health`);
    expect(health.status).toBe(200);
    expect(health.body.trim()).toBe('ok');
  });

  it("passes Streamlit's XSRF cookie to the browser and back", async () => {
    await alice.get(`${app}/`);
    expect(alice.cookie(app, '_streamlit_xsrf')).toBeDefined();
  });

  it('upgrades /_stcore/stream to a WebSocket when signed in', async () => {
    const res = await upgradeRequest(`${app}/_stcore/stream`, [cookieHeader(alice), ['Sec-WebSocket-Protocol', 'streamlit']]);
    expect(res.status).toBe(101);
  });

  it('refuses the upgrade with 401 when not signed in', async () => {
    const res = await upgradeRequest(`${app}/_stcore/stream`, [['Sec-WebSocket-Protocol', 'streamlit']]);
    expect(res.status).toBe(401);
  });
});
