// Turns OIDC claims (ID token, then userinfo) into an Identity: who the user is and which
// groups they are in, read from a configurable claim as oauth2-proxy's --oidc-groups-claim does.

import { ProviderError } from './provider-error.ts';
import type { Identity } from '../identity.ts';

export type Claims = Record<string, unknown>;

/**
 * The claim's value: a top-level key first (Auth0's namespaced claims such as
 * `https://example.com/groups` contain dots), else a dotted path (Keycloak's `realm_access.roles`).
 */
function claimValue(claims: Claims, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !(part in value)) return undefined;
    value = (value as Claims)[part];
  }
  return value;
}

/** Groups as an array of strings, or undefined when the claim is absent. Accepts an array or a comma-separated string. */
export function readGroups(claims: Claims, claimName: string): string[] | undefined {
  const value = claimValue(claims, claimName);
  if (Array.isArray(value)) {
    return value.filter((g): g is string | number => typeof g === 'string' || typeof g === 'number').map(String).map((g) => g.trim()).filter(Boolean);
  }
  if (typeof value === 'string') return value.split(',').map((g) => g.trim()).filter(Boolean);
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Whether userinfo could add what the ID token lacks. */
export function needsUserinfo(claims: Claims, groupsClaim: string): boolean {
  return text(claims.email) === undefined || readGroups(claims, groupsClaim) === undefined;
}

/** The identity from ID-token claims, with userinfo filling in what they lack. */
export function identityFromClaims(idClaims: Claims, userinfo: Claims | undefined, groupsClaim: string): Identity {
  const pick = (name: string) => text(idClaims[name]) ?? text(userinfo?.[name]);
  const user = pick('sub');
  if (!user) throw new Error('the identity provider sent no subject (sub) for the user');
  const email = pick('email') ?? '';
  // As oauth2-proxy: an address the provider says is unverified must not pass email rules.
  const verified = idClaims.email_verified ?? userinfo?.email_verified;
  if (email && (verified === false || verified === 'false')) {
    throw new ProviderError('email_not_verified', `the identity provider says the email address ${email} is not verified; verify it there, then sign in again`);
  }
  return {
    user,
    email,
    groups: readGroups(idClaims, groupsClaim) ?? (userinfo ? readGroups(userinfo, groupsClaim) : undefined) ?? [],
    preferredUsername: pick('preferred_username'),
    name: pick('name'),
  };
}
