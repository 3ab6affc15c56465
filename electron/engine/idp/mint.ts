// Tokens for a persona without a browser: the engine's "Mint a token". Signed with the provider's
// own signing key and shaped like the tokens it issues through the protocol (an RFC 9068 access
// token and an ID token), so they verify against its JWKS like any other.

import { randomBytes } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { accessTokenExtraClaims, personaClaims, protocolClaimsIn, type ClaimSet } from './claims.ts';
import { nowSeconds } from './clock.ts';
import { IdpRequestError } from './request-error.ts';
import type { Persona } from '../config/types.ts';

export const MAX_MINT_LIFETIME_SECONDS = 86_400;

export interface MintRequest {
  persona: string;
  /** The access token's `aud`; the Portcullis client when absent. */
  audience?: string;
  /** 1–86400. */
  expiresInSeconds: number;
  /** Merged over the persona's claims in both tokens. */
  claims?: ClaimSet;
}

export interface MintedTokens {
  accessToken: string;
  idToken: string;
  /** ISO time of both tokens' `exp`. */
  expiresAt: string;
}

/** Scopes a minted access token says it was granted: what a browser sign-in through Portcullis gets. */
const MINTED_SCOPE = 'openid email profile groups';

export interface MintContext {
  issuer: string;
  clientId: string;
  signingKey: JWK;
  findPersona(username: string): Persona | undefined;
  /** Records a minted access token, so the provider's userinfo answers it like any it issued. */
  issued(jti: string, expiresInSeconds: number): void;
}

function checkRequest(request: MintRequest): void {
  const lifetime = request.expiresInSeconds;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_MINT_LIFETIME_SECONDS) {
    throw new IdpRequestError(`expiresInSeconds must be a whole number from 1 to ${MAX_MINT_LIFETIME_SECONDS}`);
  }
  if (request.audience !== undefined && (typeof request.audience !== 'string' || request.audience === '')) throw new IdpRequestError('audience must be a non-empty string');
  if (request.claims !== undefined && (typeof request.claims !== 'object' || request.claims === null || Array.isArray(request.claims))) {
    throw new IdpRequestError('claims must be a JSON object');
  }
  const protocol = protocolClaimsIn(request.claims);
  if (protocol.length) throw new IdpRequestError(`claims cannot set the protocol claim${protocol.length > 1 ? 's' : ''} ${protocol.join(', ')}`);
}

export async function mintTokens(context: MintContext, request: MintRequest): Promise<MintedTokens> {
  checkRequest(request);
  const persona = context.findPersona(request.persona);
  if (!persona) throw new IdpRequestError(`No persona is called "${request.persona}".`);
  const key = await importJWK(context.signingKey, 'RS256');
  const header = { alg: 'RS256', kid: context.signingKey.kid };
  // jose's own timestamps read new Date(), which the provider's clock skew does not move.
  const iat = nowSeconds();
  const exp = iat + request.expiresInSeconds;
  const jti = randomBytes(16).toString('base64url');

  const accessToken = await new SignJWT({ ...accessTokenExtraClaims(persona, request.claims), scope: MINTED_SCOPE, client_id: context.clientId })
    .setProtectedHeader({ ...header, typ: 'at+jwt' })
    .setIssuer(context.issuer)
    .setSubject(persona.username)
    .setAudience(request.audience ?? context.clientId)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .setJti(jti)
    .sign(key);
  context.issued(jti, request.expiresInSeconds);
  const { sub: _sub, ...idClaims } = personaClaims(persona, request.claims);
  const idToken = await new SignJWT({ ...idClaims, auth_time: iat })
    .setProtectedHeader(header)
    .setIssuer(context.issuer)
    .setSubject(persona.username)
    .setAudience(context.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { accessToken, idToken, expiresAt: new Date(exp * 1000).toISOString() };
}
