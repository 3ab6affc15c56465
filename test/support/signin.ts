// Signs a persona in through the real flow, as a browser without JavaScript would:
// /oauth2/start -> built-in IdP -> persona form (field `login`) -> /oauth2/callback -> rd.
import { createBrowser, type Browser, type BrowserResponse, type Hop } from './browser.ts';

export interface SignInOptions {
  /** Sent as `rd` on /oauth2/start; left out when undefined. */
  rd?: string;
  /** Use `login_hint` so the IdP skips its page. */
  hint?: boolean;
  /** Headers for the /oauth2/start request (e.g. X-Auth-Request-Redirect). */
  headers?: [string, string][];
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? decodeEntities(match[1] ?? match[2] ?? match[3]) : undefined;
}

/** Finds the form that signs `persona` in and the fields it submits (hidden fields kept, `login` set). */
export function personaForm(html: string, persona: string): { action: string | undefined; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map((m) => m[0]);
  const withLogin = forms.filter((form) => /name\s*=\s*["']?login\b/i.test(form));
  const form =
    withLogin.find((f) => new RegExp(`value\\s*=\\s*["']?${persona}["'\\s>]`, 'i').test(f)) ?? withLogin[0];
  if (!form) throw new Error(`no sign-in form with a "login" field in:\n${html.slice(0, 2000)}`);
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(tag, 'name');
    if (name && attribute(tag, 'type')?.toLowerCase() === 'hidden') fields[name] = attribute(tag, 'value') ?? '';
  }
  fields.login = persona;
  return { action: attribute(form.match(/<form\b[^>]*>/i)![0], 'action'), fields };
}

function isCallback(url: URL, listener: URL): boolean {
  return url.port === listener.port && url.pathname === '/oauth2/callback';
}

/**
 * Runs the flow up to the redirect back to the listener and stops there, returning the callback
 * URL the IdP sent the browser to (for replay and forgery tests) and every hop so far.
 */
export async function reachCallback(
  browser: Browser,
  listenerUrl: string,
  persona: string,
  options: SignInOptions = {},
): Promise<{ callbackUrl: string; hops: Hop[] }> {
  const listener = new URL(listenerUrl);
  const start = new URL('/oauth2/start', listener);
  if (options.rd !== undefined) start.searchParams.set('rd', options.rd);
  if (options.hint) start.searchParams.set('login_hint', persona);
  const hops: Hop[] = [];
  let current = start;
  let res: BrowserResponse = await browser.get(start.href, { headers: options.headers });
  for (let step = 0; step < 20; step++) {
    hops.push(res);
    if (res.status >= 300 && res.status < 400 && res.location) {
      const next = new URL(res.location, current);
      if (isCallback(next, listener)) return { callbackUrl: next.href, hops };
      current = next;
      res = await browser.get(next.href);
    } else if (res.status === 200 && /<form/i.test(res.body)) {
      const { action, fields } = personaForm(res.body, persona);
      current = new URL(action ?? current.href, current);
      res = await browser.post(current.href, fields);
    } else {
      throw new Error(`sign-in stopped at ${res.method} ${res.url}: ${res.status}\n${res.body.slice(0, 1000)}`);
    }
  }
  throw new Error('sign-in did not reach /oauth2/callback in 20 steps');
}

/** Signs `persona` in; returns the callback's response (its Location is the final redirect). */
export async function signIn(
  browser: Browser,
  listenerUrl: string,
  persona: string,
  options: SignInOptions = {},
): Promise<BrowserResponse & { flow: Hop[] }> {
  const { callbackUrl, hops } = await reachCallback(browser, listenerUrl, persona, options);
  const res = await browser.get(callbackUrl);
  if (res.status !== 302) throw new Error(`callback answered ${res.status}\n${res.body.slice(0, 1000)}`);
  return { ...res, flow: [...hops, res] };
}

export function signInWithHint(browser: Browser, listenerUrl: string, persona: string, options: SignInOptions = {}) {
  return signIn(browser, listenerUrl, persona, { ...options, hint: true });
}

/** A new browser in which `persona` signed in to the listener (with a login hint, so no persona page). */
export async function signedInBrowser(listenerUrl: string, persona: string): Promise<Browser> {
  const browser = createBrowser();
  await signInWithHint(browser, listenerUrl, persona);
  return browser;
}

/** The session cookie's name for a listener: `_portcullis_<port>`. */
export function sessionCookieName(listenerUrl: string): string {
  return `_portcullis_${new URL(listenerUrl).port}`;
}

/** Resolves a Location header against the listener; a test compares origin and path. */
export function resolveLocation(res: { location?: string }, base: string): URL {
  if (!res.location) throw new Error('no Location header');
  return new URL(res.location, base);
}
