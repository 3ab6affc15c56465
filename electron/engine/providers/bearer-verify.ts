// Checking a bearer JWT sent straight to an upstream (upstream `bearerTokens`, docs/configuration.md
// "Bearer tokens"), as oauth2-proxy's skip_jwt_bearer_tokens does: signed by a key of the
// provider's JWKS, issued by the provider, for its client id or one of the upstream's extra
// audiences, and within its lifetime. The failure says why in words that go into the
// `WWW-Authenticate` answer and the request log; the token itself never goes anywhere.
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Identity } from '../identity.ts';
import { identityFromClaims, type ClaimNames, type Claims } from './oidc-claims.ts';

/** Leeway on exp and nbf, for clocks that disagree a little. */
export const BEARER_CLOCK_LEEWAY_SECONDS = 60;
/** Larger tokens are refused before any parsing: no provider issues JWTs of this size. */
export const MAX_BEARER_TOKEN_BYTES = 16 * 1024;

/** Algorithms a provider signs with; symmetric ones (HS*) would let the public key act as a secret. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** Why a bearer token was refused, in words for the client and the log. */
export class BearerTokenError extends Error {
  override readonly name = 'BearerTokenError';
}

export interface BearerCheck {
  issuer: string;
  /** The provider's JWKS, fetched once and fetched again when a token names a key it does not hold. */
  keys: JWTVerifyGetKey;
  /** The provider's client id and the upstream's extraAudiences. */
  audiences: readonly string[];
  names: ClaimNames;
}

export async function verifyBearerToken(token: string, check: BearerCheck): Promise<Identity> {
  if (Buffer.byteLength(token) > MAX_BEARER_TOKEN_BYTES) throw new BearerTokenError(`token too large (over ${MAX_BEARER_TOKEN_BYTES / 1024} KiB)`);
  let alg: unknown;
  let issuer: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
    issuer = decodeJwt(token).iss;
    if (token.split('.').length !== 3) throw new Error('not three parts');
  } catch {
    throw new BearerTokenError('not a JWT');
  }
  if (alg === 'none') throw new BearerTokenError('unsigned token (alg none)');
  if (typeof alg !== 'string' || !ASYMMETRIC.includes(alg)) throw new BearerTokenError(`signing algorithm ${String(alg)} is not accepted`);
  // Another provider's token would fail on its key first; naming the issuer tells the client
  // which provider it should have asked. Nothing is trusted here: a match still needs the signature.
  if (issuer !== check.issuer) throw new BearerTokenError(`wrong issuer (expected ${check.issuer})`);
  let payload: Claims;
  try {
    ({ payload } = await jwtVerify(token, check.keys, {
      issuer: check.issuer,
      audience: [...check.audiences],
      algorithms: ASYMMETRIC,
      clockTolerance: BEARER_CLOCK_LEEWAY_SECONDS,
    }));
  } catch (err) {
    throw new BearerTokenError(refusal(err, check));
  }
  try {
    return identityFromClaims(payload, undefined, check.names);
  } catch (err) {
    throw new BearerTokenError(`token has no usable identity: ${(err as Error).message}`);
  }
}

function refusal(err: unknown, check: BearerCheck): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return 'token not valid yet (nbf)';
    if (err.claim === 'iss') return `wrong issuer (expected ${check.issuer})`;
    if (err.claim === 'aud') return `wrong audience (expected ${check.audiences.join(' or ')})`;
    return `invalid claim ${err.claim}`;
  }
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown signing key (kid)';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'signing algorithm not accepted';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'not a JWT';
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return "the provider's signing keys could not be fetched";
  return 'token could not be verified';
}
