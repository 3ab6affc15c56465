// Judges where a user may be sent after sign-in or sign-out (`rd`, `X-Auth-Request-Redirect`).
// Only two shapes pass: a same-origin path, or an absolute http(s) URL whose exact origin is
// listed. Everything is checked by allow-list, so an unforeseen trick falls to `/`.

const FALLBACK = '/';
// The redirect travels inside the sealed CSRF cookie, which must stay under 4 KB.
const MAX_LENGTH = 2048;
const MAX_DECODE_ROUNDS = 4;
const ESCAPE = /%[0-9A-Fa-f]{2}/;
const BROKEN_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
// Controls, format characters and slash look-alikes, once percent-decoding is undone.
const UNSAFE_DECODED = /[\p{C}\\\u2044\u2215\u2216\u29F8\u29F9\uFE68\uFF0F\uFF3C]/u;
// Whitespace is unsafe where an app that trims segments could close the gap to `//`: next to a
// slash or at either end. Inside a name (`/Annual%20Report.pdf`) it is an ordinary character.
const UNSAFE_SPACE = /(?:^|\/)\p{Z}|\p{Z}(?:\/|$)/u;

export function validateRedirect(candidate: string | undefined | null, redirectOrigins: readonly string[]): string {
  if (typeof candidate !== 'string' || candidate === '' || candidate.length > MAX_LENGTH) return FALLBACK;
  if (!isPrintableAscii(candidate) || candidate.includes('\\')) return FALLBACK;

  if (candidate.startsWith('/')) return isSafeRelative(candidate) ? candidate : FALLBACK;
  return isAllowedAbsolute(candidate, redirectOrigins) ? candidate : FALLBACK;
}

/** Normalizes configured origins once; entries that are not plain http(s) origins are dropped. */
export function normalizeOrigins(redirectOrigins: readonly string[]): Set<string> {
  const origins = new Set<string>();
  for (const entry of redirectOrigins) {
    try {
      const url = new URL(entry);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '') {
        origins.add(url.origin);
      }
    } catch {
      // not a URL: it can never match, and config validation reports it
    }
  }
  return origins;
}

function isSafeRelative(candidate: string): boolean {
  if (candidate.startsWith('//')) return false;
  return isSafePath(splitPath(candidate));
}

function isAllowedAbsolute(candidate: string, redirectOrigins: readonly string[]): boolean {
  const scheme = /^(https?):\/\//i.exec(candidate);
  if (!scheme) return false;
  const rest = candidate.slice(scheme[0].length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  if (authority === '' || authority.includes('@') || authority.includes('%')) return false;

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  // The parser re-spells hosts (`0x7f.1`, `allowed:80`, trailing dots); only a host written
  // exactly as the parser writes it is compared, so what the user sees is what is allowed.
  if (authority.toLowerCase() !== url.host) return false;
  if (!normalizeOrigins(redirectOrigins).has(url.origin)) return false;

  const path = authorityEnd === -1 ? '' : splitPath(rest.slice(authorityEnd));
  return path === '' || isSafePath(path);
}

/** The path part of a path-absolute reference: up to the first `?` or `#`. */
function splitPath(reference: string): string {
  const end = reference.search(/[?#]/);
  return end === -1 ? reference : reference.slice(0, end);
}

/**
 * A path is safe when it is validly percent-encoded and no amount of decoding (up to a few
 * rounds, as double-decoding apps do) turns it into something that starts a new authority,
 * climbs with dot segments, or hides control characters or whitespace beside a slash. A `%`
 * that only appears after decoding is a literal percent sign.
 */
function isSafePath(path: string): boolean {
  if (path !== '' && !path.startsWith('/')) return false;
  if (BROKEN_ESCAPE.test(path)) return false;
  let current = path;
  for (let round = 0; round <= MAX_DECODE_ROUNDS; round++) {
    if (current.startsWith('//') || UNSAFE_DECODED.test(current) || UNSAFE_SPACE.test(current)) return false;
    if (current.split('/').some((segment) => segment === '.' || segment === '..')) return false;
    if (!ESCAPE.test(current)) return true;
    try {
      current = decodeURIComponent(current);
    } catch {
      return false;
    }
  }
  return false;
}

function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}
