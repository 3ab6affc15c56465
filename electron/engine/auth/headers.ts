// The identity header policy (docs/security.md): which client headers are removed before a
// request reaches the target, and which identity headers Portcullis adds instead. A client
// must never be able to speak for the proxy, whatever the case or `_`/`-` spelling it uses.

import type { Identity, TokenSet } from '../identity.ts';

export const SIMULATED_HEADER = 'x-portcullis-simulated';

export interface UpstreamHeaderFlags {
  passUserHeaders: boolean;
  passAccessToken: boolean;
  passAuthorizationHeader: boolean;
}

const FORWARDED_IDENTITY = new Set([
  'x-forwarded-user',
  'x-forwarded-email',
  'x-forwarded-groups',
  'x-forwarded-preferred-username',
  'x-forwarded-access-token',
]);

export function isClientIdentityHeader(name: string, passAuthorizationHeader: boolean): boolean {
  const canonical = name.toLowerCase().replaceAll('_', '-');
  return (
    FORWARDED_IDENTITY.has(canonical) ||
    canonical.startsWith('x-auth-request-') ||
    canonical.startsWith('x-portcullis-') ||
    (passAuthorizationHeader && canonical === 'authorization')
  );
}

export function upstreamIdentityHeaders(identity: Identity, tokens: TokenSet, flags: UpstreamHeaderFlags): Record<string, string> {
  const out: Record<string, string> = {};
  if (flags.passUserHeaders) {
    put(out, 'X-Forwarded-User', identity.user);
    put(out, 'X-Forwarded-Email', identity.email);
    put(out, 'X-Forwarded-Groups', joinGroups(identity.groups));
    put(out, 'X-Forwarded-Preferred-Username', identity.preferredUsername);
  }
  if (flags.passAccessToken) put(out, 'X-Forwarded-Access-Token', tokens.accessToken);
  if (flags.passAuthorizationHeader && tokens.idToken) put(out, 'Authorization', `Bearer ${tokens.idToken}`);
  return out;
}

export function authRequestHeaders(identity: Identity, tokens: TokenSet, flags: { passAccessToken: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  put(out, 'X-Auth-Request-User', identity.user);
  put(out, 'X-Auth-Request-Email', identity.email);
  put(out, 'X-Auth-Request-Groups', joinGroups(identity.groups));
  put(out, 'X-Auth-Request-Preferred-Username', identity.preferredUsername);
  if (flags.passAccessToken) put(out, 'X-Auth-Request-Access-Token', tokens.accessToken);
  return out;
}

/** A group whose name holds a comma is left out: joined, it would read as two groups (`x,admins`). */
function joinGroups(groups: readonly string[]): string {
  return groups.map(headerSafe).filter((g) => g !== '' && !g.includes(',')).join(',');
}

/** Empty values are left out, as oauth2-proxy does. */
function put(out: Record<string, string>, name: string, value: string | undefined): void {
  const safe = value === undefined ? '' : headerSafe(value);
  if (safe !== '') out[name] = safe;
}

/**
 * Control characters (CR/LF above all) are dropped so a value can never split a header.
 * Non-ASCII text is sent as its UTF-8 bytes, as Go's oauth2-proxy does: Node writes each
 * char of a header string as one byte, so the bytes are spelled as a Latin-1 string.
 */
export function headerSafe(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return /[^\u0000-\u007f]/.test(clean) ? Buffer.from(clean, 'utf8').toString('latin1') : clean;
}
