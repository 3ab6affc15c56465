// The built-in identity provider's userinfo endpoint. Its access tokens are JWTs (RFC 9068) with
// an audience, which oidc-provider's own endpoint refuses and cannot look up (JWT access tokens
// are not stored); Keycloak and Auth0 answer userinfo for theirs, so this one does too.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { claimsForScopes, personaClaims } from './claims.ts';
import type { Persona } from '../config/types.ts';

/** oidc-provider's own path, kept so the endpoint does not move for anyone who wrote it down. */
export const USERINFO_PATH = '/me';

export interface UserinfoContext {
  issuer: string;
  publicKeys: JWK[];
  findPersona(username: string): Persona | undefined;
  customClaimNames(): readonly string[];
  /** False once the token's grant was revoked (a sign-out): JWTs stay valid-looking until they expire. */
  isAccessTokenLive(jti: string): boolean;
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

function refuse(res: ServerResponse, status: number, error: string | undefined, description: string): void {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('WWW-Authenticate', error ? `Bearer error=${quoted(error)}, error_description=${quoted(description)}` : 'Bearer');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error: error ?? 'invalid_request', error_description: description }));
}

export function createUserinfoHandler(context: UserinfoContext): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const keys = createLocalJWKSet({ keys: context.publicKeys });
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('Allow', 'GET, POST');
      refuse(res, 405, 'invalid_request', 'userinfo is answered to GET and POST');
      return;
    }
    req.resume();
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      refuse(res, 401, undefined, 'no access token: send it as Authorization: Bearer <token>');
      return;
    }
    let payload: JWTPayload;
    try {
      // currentDate: the provider's own (possibly skewed) clock judges its tokens' lifetime.
      ({ payload } = await jwtVerify(match[1], keys, { issuer: context.issuer, typ: 'at+jwt', algorithms: ['RS256'], currentDate: new Date(Date.now()) }));
    } catch (err) {
      refuse(res, 401, 'invalid_token', `the access token is not valid here: ${(err as Error).message}`);
      return;
    }
    if (typeof payload.jti !== 'string' || !context.isAccessTokenLive(payload.jti)) {
      refuse(res, 401, 'invalid_token', 'the access token was revoked');
      return;
    }
    const persona = typeof payload.sub === 'string' ? context.findPersona(payload.sub) : undefined;
    if (!persona) {
      refuse(res, 401, 'invalid_token', 'the access token does not belong to a persona');
      return;
    }
    const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ') : []);
    if (!scopes.has('openid')) {
      refuse(res, 403, 'insufficient_scope', 'the access token was not granted the openid scope');
      return;
    }
    res.statusCode = 200;
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(claimsForScopes(personaClaims(persona), scopes, context.customClaimNames())));
  };
}
