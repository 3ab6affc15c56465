// The built-in identity provider's reserved names, limits and defaults (docs/configuration.md,
// "builtinIdp"): checked by validate.ts and obeyed by the provider itself (engine/idp).

/** The client id the built-in identity provider knows Portcullis by; no service client may take it. */
export const BUILTIN_CLIENT_ID = 'portcullis';

/** Claims the protocol sets; a persona, a service client or a minted token cannot. */
export const PROTOCOL_CLAIMS: readonly string[] = ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'nonce', 'auth_time', 'azp', 'at_hash', 'c_hash', 'jti', 'sid'];

/** Why a claim cannot be set on a persona, a service client or a minted token, or undefined (`check` and the UI's claims editors say this). */
export function protocolClaimProblem(name: string): string | undefined {
  return PROTOCOL_CLAIMS.includes(name) ? `"${name}" is a protocol claim the provider sets itself; it cannot be set here` : undefined;
}

/** Token lifetimes in seconds. */
export const DEFAULT_ACCESS_TOKEN_TTL = 60 * 60;
export const DEFAULT_REFRESH_TOKEN_TTL = 30 * 24 * 60 * 60;
export const MIN_TOKEN_TTL = 5;
/** A year: longer is no test of anything and overflows nothing either. */
export const MAX_TOKEN_TTL = 365 * 24 * 60 * 60;

export const MAX_CLOCK_SKEW_SECONDS = 600;

/** A persona's or a client's claims, as compact JSON: they travel in every token and header. */
export const MAX_CLAIMS_BYTES = 16 * 1024;

/** The longest lifetime of a minted token (the control API's mintToken), a day. */
export const MAX_MINT_LIFETIME_SECONDS = 86_400;
