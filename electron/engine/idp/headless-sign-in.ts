// "Switch persona" without a browser: the provider walks an authorization request the engine
// built (its state, nonce, PKCE and redirect_uri) through its own endpoints, as a browser would,
// with the persona as login_hint, and hands back where it would send the browser: the client's
// callback with a code (or an error). The engine finishes it as any sign-in, so the session it
// gets is exactly a browser sign-in's, refresh token included.

import { IdpRequestError } from './request-error.ts';

export const AUTHORIZATION_PATH = '/auth';

/** Enough hops for authorize → interaction → resume → callback, with room to spare. */
const MAX_HOPS = 8;

export interface HeadlessSignInRequest {
  /** An authorization URL of this provider, as the engine sends a browser to it. */
  authorizationUrl: string;
  persona: string;
}

function cookieJar() {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    take(res: Response) {
      for (const line of res.headers.getSetCookie()) {
        const pair = line.split(';')[0];
        const eq = pair.indexOf('=');
        cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
    },
  };
}

export async function signInWithoutBrowser(issuer: string, request: HeadlessSignInRequest): Promise<{ callbackUrl: string }> {
  let url: URL;
  try {
    url = new URL(request.authorizationUrl);
  } catch {
    throw new IdpRequestError('authorizationUrl is not a URL');
  }
  if (url.origin !== new URL(issuer).origin || url.pathname !== AUTHORIZATION_PATH) {
    throw new IdpRequestError(`authorizationUrl must be this provider's authorization endpoint (${issuer}${AUTHORIZATION_PATH})`);
  }
  url.searchParams.set('login_hint', request.persona);
  url.searchParams.delete('prompt');

  const jar = cookieJar();
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const res = await fetch(url, { redirect: 'manual', headers: { Accept: 'text/html', Cookie: jar.header() } });
    jar.take(res);
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (!location) {
      // The persona page (an unknown login_hint) or an error page: no browser is here to answer it.
      if (res.status === 200) throw new IdpRequestError(`No persona is called "${request.persona}".`);
      throw new Error(`The sign-in stopped at the built-in identity provider (HTTP ${res.status}).`);
    }
    url = new URL(location, url);
    if (url.origin !== new URL(issuer).origin) return { callbackUrl: url.href };
  }
  throw new Error('The sign-in at the built-in identity provider did not reach the callback.');
}
