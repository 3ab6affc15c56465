// Turns OIDC claims (ID token, then userinfo) into an Identity: who the user is and which
// groups they are in, read from a configurable claim as oauth2-proxy's --oidc-groups-claim does.

import { ProviderError } from './provider-error.ts';
import type { Identity } from '../identity.ts';
import { claimList } from '../config/claim-paths.ts';

export type Claims = Record<string, unknown>;

export interface ClaimNames {
  groupsClaim: string;
  rolesClaim: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Whether userinfo could add what the ID token lacks. */
export function needsUserinfo(claims: Claims, names: ClaimNames): boolean {
  return text(claims.email) === undefined || claimList(claims, names.groupsClaim) === undefined;
}

/** The identity from ID-token claims, with userinfo filling in what they lack. */
export function identityFromClaims(idClaims: Claims, userinfo: Claims | undefined, names: ClaimNames): Identity {
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
    groups: readList(idClaims, userinfo, names.groupsClaim),
    roles: readList(idClaims, userinfo, names.rolesClaim),
    claims: { ...userinfo, ...idClaims },
    preferredUsername: pick('preferred_username'),
    name: pick('name'),
  };
}

function readList(idClaims: Claims, userinfo: Claims | undefined, path: string): string[] {
  return claimList(idClaims, path) ?? (userinfo ? claimList(userinfo, path) : undefined) ?? [];
}
