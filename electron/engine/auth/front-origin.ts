// A front proxy (nginx, Caddy, HAProxy, Traefik) in front of a listener is an origin of its own:
// the browser starts sign-in there, so its CSRF cookie lives there, and the callback and the
// return target must be built on it. The forwarded headers that name it are the client's word,
// so they are believed only when the origin they spell is one the upstream's `redirectOrigins`
// lists (docs/configuration.md, "Front proxies").
import type { IncomingHttpHeaders } from 'node:http';
import { normalizeOrigins } from './redirect.ts';

const first = (value: string | string[] | undefined): string | undefined => {
  const raw = Array.isArray(value) ? value[0] : value;
  const item = raw?.split(',')[0]?.trim();
  return item ? item : undefined;
};

/** The configured front origin this request came through, or undefined for a direct request. */
export function frontOriginOf(headers: IncomingHttpHeaders, redirectOrigins: readonly string[]): string | undefined {
  if (redirectOrigins.length === 0) return undefined;
  const host = first(headers['x-forwarded-host']) ?? first(headers.host);
  const proto = (first(headers['x-forwarded-proto']) ?? 'http').toLowerCase();
  if (!host || (proto !== 'http' && proto !== 'https')) return undefined;
  let url: URL;
  try {
    url = new URL(`${proto}://${host}`);
  } catch {
    return undefined;
  }
  // Only a host written exactly as the parser writes it: no userinfo, path or re-spelt address.
  if (url.host !== host.toLowerCase() || url.pathname !== '/' || url.search || url.hash) return undefined;
  return normalizeOrigins(redirectOrigins).has(url.origin) ? url.origin : undefined;
}

/** The callback URLs on an upstream's front origins, which the identity provider must accept too. */
export function frontCallbackUrls(redirectOrigins: readonly string[]): string[] {
  return [...normalizeOrigins(redirectOrigins)].map((origin) => `${origin}/oauth2/callback`);
}
