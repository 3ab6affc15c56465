// Turns a raw HTTP request-target into the one path that both route matching and the
// forwarded request use, so a rule can never be judged on a different path than the
// target app serves. Anything ambiguous is refused rather than guessed at.

export type NormalizedRequestPath = { path: string; search: string } | { error: string };

const HEX = /^[0-9A-Fa-f]{2}$/;
// RFC 3986 unreserved characters: decoding their escapes never changes meaning, and
// decoding them is what lets `/%70ublic` and `/%2e%2e/` be judged as the app sees them.
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * Splits `rawUrl` into a normalized path and the untouched query (with its `?`).
 * Normalization: escapes of unreserved characters are decoded, the hex of the other
 * escapes is upper-cased, dot segments are resolved (RFC 3986 §5.2.4) and runs of `/`
 * collapse into one. A fragment is dropped. `%23` stays an encoded `#` in the path.
 */
export function normalizeRequestPath(rawUrl: string): NormalizedRequestPath {
  const hash = rawUrl.indexOf('#');
  const target = hash === -1 ? rawUrl : rawUrl.slice(0, hash);
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const search = q === -1 || q === target.length - 1 ? '' : target.slice(q);

  if (!rawPath.startsWith('/')) return { error: 'request path must start with "/"' };
  // Browsers send a raw `\` in a query (`?file=C:\x`); only the path is matched by rules, so
  // only the path must be free of it.
  const badQuery = firstForbiddenChar(search, false);
  if (badQuery !== undefined) return { error: `request query contains a forbidden character (${badQuery})` };

  const bad = firstForbiddenChar(rawPath, true);
  if (bad !== undefined) return { error: `request path contains a forbidden character (${bad})` };
  // Most paths need no work (no escapes, no dot or empty segments): spare them the rebuild.
  if (!rawPath.includes('%') && !rawPath.includes('/.') && !rawPath.includes('//')) return { path: rawPath, search };

  const decoded = decodeUnreserved(rawPath);
  if ('error' in decoded) return decoded;

  const segments = decoded.path.split('/');
  for (const segment of segments) {
    // Servlet containers strip `;params` before resolving dot segments, so `..;x` is `..` to them.
    if (/^\.\.?;/.test(segment)) return { error: 'request path has a dot segment with parameters' };
  }
  return { path: resolveDotSegments(segments), search };
}

function firstForbiddenChar(s: string, backslashForbidden: boolean): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return `code ${c}`;
    if (c === 0x5c && backslashForbidden) return 'backslash';
  }
  return undefined;
}

function decodeUnreserved(rawPath: string): { path: string } | { error: string } {
  let out = '';
  for (let i = 0; i < rawPath.length; i++) {
    const ch = rawPath[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const hex = rawPath.slice(i + 1, i + 3);
    if (!HEX.test(hex)) return { error: 'request path has invalid percent-encoding' };
    const code = parseInt(hex, 16);
    if (code === 0x2f || code === 0x5c) return { error: 'request path contains an encoded slash or backslash' };
    if (code < 0x20 || code === 0x7f) return { error: 'request path contains an encoded control character' };
    const char = String.fromCharCode(code);
    out += UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return { path: out };
}

/** `segments` is the path split on `/`, so its first element is the empty string before the leading slash. */
function resolveDotSegments(segments: string[]): string {
  const out: string[] = [];
  const last = segments.length - 1;
  for (let i = 1; i <= last; i++) {
    const segment = segments[i];
    if (segment === '..') {
      out.pop();
      if (i === last) out.push('');
    } else if (segment === '.' || segment === '') {
      if (i === last) out.push('');
    } else {
      out.push(segment);
    }
  }
  return '/' + out.join('/');
}
