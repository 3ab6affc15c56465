// The header treatment every proxied request gets on its way to the target, HTTP or
// WebSocket alike: hop-by-hop headers go (RFC 9110 §7.6.1), X-Forwarded-For/-Proto/-Host are
// computed here and never taken from the client, nor is any other header a proxy would vouch
// for (docs/security.md), Host stays exactly as the client sent it (the app's own same-origin
// and XSRF checks depend on it), and the caller's policy applies last.
import type { IncomingMessage } from 'node:http';

export interface HeaderPolicy {
  /** Headers the target receives; they replace any client header of the same name. */
  setHeaders?: Record<string, string>;
  /** Client headers to remove, asked with the lower-cased name. */
  dropHeader?: (lowerName: string) => boolean;
  /**
   * The Cookie header the target receives instead of the client's: a string replaces it,
   * `undefined` removes it. When the key is absent the client's Cookie header passes as is.
   */
  cookie?: string | undefined;
  /** Set-Cookie lines of the target's answer (or WebSocket handshake) to remove. */
  dropSetCookie?: (setCookieLine: string) => boolean;
}

// `expect` is not hop-by-hop, but Node's server has already answered `100-continue` by the
// time a request reaches us, so passing it on would ask the target to answer it twice.
const NEVER_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/**
 * Headers by which a proxy in front tells an app who the client is or which URL it asked for.
 * Only Portcullis may say that, so a client's are removed in any case and `_`/`-` spelling
 * (servers such as gunicorn and PHP read `X_Forwarded_For` as `X-Forwarded-For`).
 */
const PROXY_VOUCHED = new Set([
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-forwarded-server',
  'x-forwarded-scheme',
  'x-forwarded-ssl',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'x-original-url',
  'x-original-uri',
  'x-rewrite-url',
]);

export function isProxyVouchedHeader(lowerName: string): boolean {
  return PROXY_VOUCHED.has(lowerName.includes('_') ? lowerName.replaceAll('_', '-') : lowerName);
}

export interface OutgoingHeaders {
  /** Flat name/value list, in the client's order, then ours. */
  list: string[];
  /** Whether the client sent a request body (Content-Length above 0 or Transfer-Encoding). */
  hasBody: boolean;
}

export function buildOutgoingHeaders(req: IncomingMessage, policy: HeaderPolicy): OutgoingHeaders {
  const raw = req.rawHeaders;
  const list: string[] = [];
  const { setHeaders, dropHeader } = policy;
  const replaceCookie = 'cookie' in policy;
  const replaced = setHeaders ? Object.keys(setHeaders).map(lowerCase) : undefined;
  let host: string | undefined;
  let connectionOptions: string | undefined;
  let hasBody = false;
  let sawLength = false;

  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (NEVER_FORWARDED.has(name) || name.startsWith('proxy-') || isProxyVouchedHeader(name)) {
      if (name === 'connection') connectionOptions = connectionOptions ? `${connectionOptions},${raw[i + 1]}` : raw[i + 1];
      else if (name === 'transfer-encoding') hasBody = true;
      continue;
    }
    if (name === 'host') {
      // A second Host header is malformed; the first one is the one Node reports too.
      if (host !== undefined) continue;
      host = raw[i + 1];
    } else if (name === 'content-length') {
      if (sawLength) continue;
      sawLength = true;
      if (raw[i + 1] !== '0') hasBody = true;
    } else if (name === 'cookie' && replaceCookie) {
      continue;
    }
    if (replaced?.includes(name) || dropHeader?.(name)) continue;
    list.push(name, raw[i + 1]);
  }

  if (connectionOptions) removeConnectionOptions(list, connectionOptions);

  const remote = req.socket.remoteAddress;
  if (remote) list.push('x-forwarded-for', remote);
  list.push('x-forwarded-proto', 'http');
  if (host !== undefined) list.push('x-forwarded-host', host);
  if (replaceCookie && policy.cookie) list.push('cookie', policy.cookie);
  if (setHeaders) {
    for (const key in setHeaders) list.push(key, setHeaders[key]);
  }
  return { list, hasBody };
}

function lowerCase(name: string): string {
  return name.toLowerCase();
}

const NO_OPTIONS: readonly string[] = [];

/** The header names a Connection header declares hop-by-hop, besides its own keywords. */
export function connectionOptions(connection: string): readonly string[] {
  const lower = connection.toLowerCase();
  // Nearly every peer sends just one keyword; skip the split for them.
  if (lower === 'keep-alive' || lower === 'close') return NO_OPTIONS;
  return lower
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token && token !== 'close' && token !== 'keep-alive' && token !== 'upgrade');
}

/** Removes, in place, the client headers its Connection header declared hop-by-hop. */
function removeConnectionOptions(list: string[], connection: string): void {
  const named = connectionOptions(connection);
  if (named.length === 0) return;
  let kept = 0;
  for (let i = 0; i < list.length; i += 2) {
    if (named.includes(list[i])) continue;
    list[kept++] = list[i];
    list[kept++] = list[i + 1];
  }
  list.length = kept;
}

/** Response headers that describe the target's connection to us, not ours to the client. */
export function isHopByHopResponseHeader(lowerName: string): boolean {
  return HOP_BY_HOP_RESPONSE.has(lowerName) || lowerName.startsWith('proxy-');
}

const HOP_BY_HOP_RESPONSE = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
