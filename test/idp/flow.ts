// The relying party's side of a code flow against the built-in identity provider, for tests:
// a real openid-client configuration and the no-JavaScript browser of browser.ts.

import * as client from 'openid-client';
import { Browser, formAction } from './browser.ts';

export const CALLBACK = 'http://127.0.0.1:4180/oauth2/callback';

export async function discover(target: { issuer: string; clientId: string; clientSecret: string }): Promise<client.Configuration> {
  return client.discovery(new URL(target.issuer), target.clientId, undefined, client.ClientSecretBasic(target.clientSecret), {
    execute: [client.allowInsecureRequests],
  });
}

export async function authorizationUrl(config: client.Configuration, params: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid offline_access email profile groups',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url, verifier, state, nonce };
}

export type Flow = Awaited<ReturnType<typeof authorizationUrl>> & { callback: URL; sawPage: boolean; browser: Browser };

/** Runs the flow up to the callback, choosing `persona` on the page (or via login_hint). */
export async function signIn(
  config: client.Configuration,
  persona: string,
  opts: { hint?: boolean; redirectUri?: string; params?: Record<string, string>; browser?: Browser } = {},
): Promise<Flow> {
  const auth = await authorizationUrl(config, {
    ...(opts.hint ? { login_hint: persona } : {}),
    ...(opts.redirectUri ? { redirect_uri: opts.redirectUri } : {}),
    ...opts.params,
  });
  const browser = opts.browser ?? new Browser();
  const callbackOrigin = new URL(opts.redirectUri ?? CALLBACK).origin;
  let step = await browser.follow(auth.url, callbackOrigin);
  const sawPage = step.status === 200;
  if (sawPage) step = await browser.follow(formAction(step.body, step.url), callbackOrigin, { form: { login: persona } });
  if (!step.location) throw new Error(`no callback redirect: ${step.status} ${step.body.slice(0, 500)}`);
  return { ...auth, callback: step.location, sawPage, browser };
}

export async function exchange(config: client.Configuration, flow: { callback: URL; verifier: string; state: string; nonce: string }) {
  return client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
}
