// Requests that carry `Authorization: Bearer <JWT>` to an upstream with `bearerTokens` on
// (docs/configuration.md, "Bearer tokens"): the token stands in for a session for this one
// request — no cookie is set — and a token that does not verify is refused with RFC 6750's
// `WWW-Authenticate` answer. The token itself never reaches a log or an error message.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Session } from '../identity.ts';
import type { Outcome } from '../log/request-log.ts';
import { sendJson } from '../http/pages.ts';
import { BearerTokenError } from '../providers/bearer-verify.ts';
import type { AuthContext } from './context.ts';

/** The id of the one-request session a bearer token stands for; never stored. */
export const BEARER_SESSION_ID = 'bearer-token';

/** The token of an `Authorization: Bearer …` header, or undefined when the request has none. */
export function bearerTokenOf(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer(?:\s+(.*))?$/i.exec(headers.authorization ?? '');
  return match ? (match[1] ?? '').trim() : undefined;
}

export type BearerOutcome = { session: Session } | { refused: string } | { unavailable: string };

/** Verifies the token against the upstream's provider and turns it into a one-request session. */
export async function bearerSession(ctx: AuthContext, token: string): Promise<BearerOutcome> {
  const provider = ctx.provider.ready();
  if (!provider) return { unavailable: ctx.provider.problem() ?? 'the identity provider is not ready' };
  try {
    const identity = await provider.verifyBearer(token, ctx.upstream.extraAudiences);
    const now = Date.now();
    return { session: { id: BEARER_SESSION_ID, upstreamId: ctx.upstream.id, providerId: provider.id, identity, tokens: { accessToken: token, tokenType: 'Bearer' }, createdAt: now, updatedAt: now } };
  } catch (err) {
    if (err instanceof BearerTokenError) return { refused: err.message };
    return { unavailable: `the token could not be checked: ${(err as Error).message}` };
  }
}

/** RFC 6750 §3: the answer's `WWW-Authenticate` value; the reason is plain words without quotes. */
function wwwAuthenticate(reason: string): string {
  return `Bearer error="invalid_token", error_description="${reason.replace(/["\\\r\n]/g, '')}"`;
}

/**
 * The answer to a refused token, on a proxied request and on /oauth2/auth alike: 401 JSON that
 * says why. The client presented a token, so a redirect to a sign-in page would mean nothing to it.
 */
export function refuseBearerToken(res: ServerResponse, reason: string): Outcome {
  res.setHeader('WWW-Authenticate', wwwAuthenticate(reason));
  sendJson(res, 401, { error: 'invalid_token', error_description: reason });
  return { status: 401, decision: 'unauthenticated', rule: 'bearerTokens', reason: `bearer token refused: ${reason}` };
}
