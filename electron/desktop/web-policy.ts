// The rules for what the app's window may load and open: only our own pages stay inside the
// app (the `portcullis://app/` origin); plain http/https links may go to the system browser;
// everything else is refused. Pure, so every rule has a table test.

export const APP_SCHEME = 'portcullis';
export const APP_HOST = 'app';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Strict: only our bundle's scripts and styles; no inline script, no remote anything, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Whether a URL is one of our own pages (the only frames allowed to talk to the engine). */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  const parsed = parse(url);
  return parsed !== undefined && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password;
}

const MAX_EXTERNAL_URL = 2048;

/** Why a link may not be handed to the system browser, or undefined when it may. */
export function externalUrlProblem(url: string): string | undefined {
  if (url.length > MAX_EXTERNAL_URL) return `link longer than ${MAX_EXTERNAL_URL} characters`;
  const parsed = parse(url);
  if (!parsed) return 'not a valid URL';
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `scheme ${parsed.protocol} is not http or https`;
  if (parsed.username || parsed.password) return 'link carries a user name or password';
  return undefined;
}
