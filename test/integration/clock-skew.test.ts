// The built-in provider's clock set off on purpose (builtinIdp.clockSkewSeconds): Portcullis's own
// leeway of 60 s decides. Within it the sign-in succeeds; beyond it the sign-in is refused, the
// page and the request log saying which way the provider's clock is off and by how much.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenClockProblem } from '../../electron/engine/providers/token-clock.ts';
import { createBrowser } from '../support/browser.ts';
import { startTestEngine } from '../support/engine.ts';
import { startFlask, type Upstream } from '../support/flask.ts';
import { reachCallback } from '../support/signin.ts';

let flask: Upstream;

beforeAll(async () => {
  flask = await startFlask();
});

afterAll(async () => {
  await flask?.stop();
});

describe('the leeway rule', () => {
  it.each([
    [0, undefined],
    [60, undefined],
    [-60, undefined],
    [61, 'token from the future by 61 s'],
    [-61, 'token from the past by 61 s'],
    [-600, 'token from the past by 600 s'],
  ])('an ID token issued %i s from now: %s', (off, problem) => {
    const now = 1_800_000_000;
    const found = tokenClockProblem({ iat: now + off }, now);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe.each([
  // The seconds are counted on two clocks a moment apart: 119 or 120, or 121.
  [120, 'refused', /token from the future by 1(19|20|21) s/],
  [-120, 'refused', /token from the past by 1(19|20|21) s/],
  [30, 'accepted', undefined],
  [-30, 'accepted', undefined],
] as const)('a provider clock off by %i s', (skew, outcome, words) => {
  it(`is ${outcome}`, async () => {
    const te = await startTestEngine({ target: flask.url, builtinIdp: { clockSkewSeconds: skew } });
    try {
      const app = `http://localhost:${te.appPort}`;
      const browser = createBrowser();
      const { callbackUrl } = await reachCallback(browser, app, 'alice', { hint: true });
      const callback = await browser.get(callbackUrl);
      const sessions = await te.engine.listSessions();
      if (outcome === 'accepted') {
        expect(callback.status).toBe(302);
        expect(sessions).toHaveLength(1);
        expect((await browser.get(`${app}/whoami`)).json<{ headers: Record<string, string> }>().headers['x-forwarded-email']).toBe('alice@example.test');
      } else {
        expect(callback.status).toBe(403);
        expect(callback.body).toMatch(words!);
        expect(sessions).toHaveLength(0);
        const [entry] = await te.engine.listRequests({ upstream: 'app', limit: 1 });
        expect(entry.reason).toMatch(words!);
      }
    } finally {
      await te.close();
    }
  });
});
