// Which claims the built-in identity provider puts in its tokens and userinfo answers: one set
// of rules for tokens issued through the protocol and tokens minted by the engine, so both look
// the same to an app.

import { PROTOCOL_CLAIMS } from '../config/builtin-idp-rules.ts';
import type { Persona } from '../config/types.ts';

const PROTOCOL_CLAIM_SET = new Set(PROTOCOL_CLAIMS);

/** The claims each scope releases; a persona's own claims come with `openid`, as Keycloak's mappers do by default. */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'preferred_username'],
  groups: ['groups'],
};

export type ClaimSet = Record<string, unknown>;

/** The protocol claims named in `claims`, for a clear refusal. */
export function protocolClaimsIn(claims: ClaimSet | undefined): string[] {
  return claims ? Object.keys(claims).filter((name) => PROTOCOL_CLAIM_SET.has(name)) : [];
}

function withoutProtocolClaims(claims: ClaimSet | undefined): ClaimSet {
  return Object.fromEntries(Object.entries(claims ?? {}).filter(([name]) => !PROTOCOL_CLAIM_SET.has(name)));
}

/** Everything known about a persona, its own claims over the standard ones (so `groups` can be reshaped). */
export function personaClaims(persona: Persona, extra?: ClaimSet): { sub: string; [claim: string]: unknown } {
  return {
    email: persona.email,
    email_verified: true,
    name: persona.name,
    preferred_username: persona.username,
    groups: [...persona.groups],
    ...withoutProtocolClaims(persona.claims),
    ...withoutProtocolClaims(extra),
    sub: persona.username,
  };
}

/** What an access token carries besides its protocol claims: who, their groups and their claims. */
export function accessTokenExtraClaims(persona: Persona, extra?: ClaimSet): ClaimSet {
  const { sub: _sub, email_verified: _verified, ...claims } = personaClaims(persona, extra);
  return claims;
}

/** A service client's claims, for its client-credentials access tokens. */
export function serviceClientClaims(claims: ClaimSet | undefined): ClaimSet {
  return withoutProtocolClaims(claims);
}

/** The claim names of every persona's own claims: oidc-provider only releases claims it was told about. */
export function customClaimNames(personas: readonly Persona[]): string[] {
  const names = new Set<string>();
  for (const persona of personas) for (const name of Object.keys(withoutProtocolClaims(persona.claims))) names.add(name);
  for (const standard of Object.values(SCOPE_CLAIMS).flat()) names.delete(standard);
  return [...names].sort();
}

/** The claims of `all` that `scopes` release (the userinfo answer and the ID token). */
export function claimsForScopes(all: ClaimSet, scopes: ReadonlySet<string>, customNames: readonly string[]): ClaimSet {
  const released = new Set<string>();
  for (const scope of scopes) for (const name of SCOPE_CLAIMS[scope] ?? []) released.add(name);
  if (scopes.has('openid')) for (const name of customNames) released.add(name);
  return Object.fromEntries(Object.entries(all).filter(([name]) => released.has(name)));
}
