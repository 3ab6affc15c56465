// Cookie names, parsing and serialization for Portcullis's own cookies, and removing them
// from requests before they reach the target (docs/security.md). Parsing is the `cookie`
// package's; removal is ours because forwarding must keep every other cookie byte for byte.
import { parse } from 'cookie';

const PREFIX = '_portcullis';
// RFC 6265 cookie-name is an HTTP token; cookie-value octets exclude controls, space, `"`, `,`, `;`, `\`.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAge?: number;
  expires?: Date;
  httpOnly: boolean;
  sameSite: 'Lax';
  path: '/';
  secure?: boolean;
}

export const sessionCookieName = (port: number): string => `${PREFIX}_${port}`;
export const csrfCookieName = (port: number): string => `${PREFIX}_${port}_csrf`;

/** Every cookie Portcullis sets starts with `_portcullis`; other listeners' cookies share the localhost jar. */
export function isPortcullisCookie(name: string): boolean {
  return name === PREFIX || name.startsWith(`${PREFIX}_`);
}

/**
 * One cookie's value from a `Cookie` header, read tolerantly (quotes around the value removed;
 * the first of duplicate names wins, the most specific path per RFC 6265). Never throws.
 */
export function readCookie(header: string | undefined, wanted: string): string | undefined {
  if (typeof header !== 'string' || wanted === '') return undefined;
  // Values are kept as written (no URL-decoding): ours are base64url, and other cookies are not ours to read.
  return parse(header, { decode: unquote })[wanted];
}

const unquote = (value: string): string => (value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);

export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  if (!TOKEN.test(name)) throw new Error(`invalid cookie name ${JSON.stringify(name)}`);
  if (!COOKIE_VALUE.test(value)) throw new Error(`invalid characters in the value of cookie ${name}`);
  const parts = [`${name}=${value}`, `Path=${opts.path}`];
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAge))}`);
  if (opts.expires !== undefined) parts.push(`Expires=${opts.expires.toUTCString()}`);
  if (opts.httpOnly) parts.push('HttpOnly');
  if (opts.secure) parts.push('Secure');
  parts.push(`SameSite=${opts.sameSite}`);
  return parts.join('; ');
}

/** A `Set-Cookie` value that makes the browser drop the cookie. */
export function expiredCookie(name: string): string {
  return serializeCookie(name, '', { maxAge: 0, expires: new Date(0), httpOnly: true, sameSite: 'Lax', path: '/' });
}

/**
 * Drops the cookies `shouldRemove` picks from a `Cookie` header and keeps the rest exactly
 * as the client wrote them; undefined when nothing is left.
 */
export function removeCookies(cookieHeader: string | undefined, shouldRemove: (name: string) => boolean): string | undefined {
  if (typeof cookieHeader !== 'string') return undefined;
  const kept = cookieHeader.split(';').filter((piece) => {
    const eq = piece.indexOf('=');
    const name = (eq === -1 ? piece : piece.slice(0, eq)).trim();
    return name !== '' && !shouldRemove(name);
  });
  if (kept.length === 0) return undefined;
  kept[0] = kept[0].trimStart();
  return kept.join(';');
}
