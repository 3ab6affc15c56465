// The access decision for a request that is not one of the /oauth2/* endpoints: public by a
// skip-auth rule, unauthenticated, refused bearer token, denied by a rule, or allowed — with the
// identity (real or simulated, from a session or a bearer token) that the headers and the
// request log then use.
import type { IncomingHttpHeaders } from 'node:http';
import type { Identity, IdentitySimulation, Session } from '../identity.ts';
import type { AuthContext } from './context.ts';
import type { AccessRule, UpstreamConfig } from '../config/types.ts';
import { readCookie } from './cookies.ts';
import { authRequestHeaders, SIMULATED_HEADER, upstreamIdentityHeaders } from './headers.ts';
import { BEARER_SESSION_ID, bearerSession, bearerTokenOf } from './bearer.ts';
import { oversizedClaimHeader, renderClaimHeaders } from './claim-headers.ts';
import { simulatedIdentity, simulatedParts } from './simulation.ts';
import { authorizeUnderRule, gateRequest, type Gate } from './access-rules.ts';

export type AccessDecision =
  | { kind: 'public'; rule: string; reason: string }
  | { kind: 'unavailable'; api: boolean; rule?: string; reason: string }
  | { kind: 'unauthenticated'; api: boolean; rule?: string; reason: string }
  /** A bearer token the upstream (bearerTokens) refused: 401 with WWW-Authenticate, never a redirect. */
  | { kind: 'bad-token'; reason: string }
  /** `api`: the refusal is JSON (an `api` rule or apiRoutes match, or a client asking for JSON). */
  | { kind: 'denied'; session: Session; identity: Identity; simulated: boolean; rule?: string; reason: string; api?: boolean }
  | {
      kind: 'allowed';
      session: Session;
      identity: Identity;
      simulated: boolean;
      rule?: string;
      reason: string;
      /** Identity headers for the target, per the upstream's flags. */
      targetHeaders: Record<string, string>;
      /** Headers added to the response: X-Auth-Request-* (setXAuthRequest) and the simulation marker. */
      responseHeaders: Record<string, string>;
      /** The upstream's claimHeaders for this identity (also in targetHeaders); /oauth2/auth answers them too. */
      claimHeaders: Record<string, string>;
    };

export type SignedIn = Extract<AccessDecision, { kind: 'denied' | 'allowed' }>;

/** The signed-in identity as rules and headers see it: with the simulated parts while a simulation runs. */
export function effectiveIdentity(ctx: AuthContext, session: Session): { identity: Identity; simulated: boolean } {
  const simulation = ctx.simulation();
  return simulation ? { identity: simulatedIdentity(session.identity, simulation), simulated: true } : { identity: session.identity, simulated: false };
}

/** The usable session behind the request's cookie, refreshed if it was about to expire. */
export function currentSession(ctx: AuthContext, headers: IncomingHttpHeaders): Session | undefined | Promise<Session | undefined> {
  const session = ctx.sessions.lookup(readCookie(headers.cookie, ctx.cookieName), ctx.upstream.id);
  if (!session) return undefined;
  return ctx.sessions.isFresh(session) ? session : ctx.sessions.ensureFresh(session);
}

interface CachedJudgement {
  updatedAt: number;
  simulation: IdentitySimulation | undefined;
  upstream: UpstreamConfig;
  /** Per access rule that applied (undefined: the upstream's own settings). */
  judged: Map<AccessRule | undefined, SignedIn>;
}

/**
 * A session's judgement only changes when the session does (refresh), the simulation does, or
 * the upstream's settings do (which replaces the listener's context): so it is worked out once
 * and reused by every request of the session, headers included.
 */
const judgements = new WeakMap<Session, CachedJudgement>();

/**
 * Judges a signed-in session (or a bearer token's identity) against the upstream's
 * allowedGroups / allowedRoles / allowedEmails / emailDomains, or under an access rule
 * (auth/access-rules.ts) when one matched the request, and renders its claim headers.
 */
export function judge(ctx: AuthContext, session: Session, rule?: AccessRule): SignedIn {
  const simulation = ctx.simulation();
  let cached = judgements.get(session);
  if (!cached || cached.updatedAt !== session.updatedAt || cached.simulation !== simulation || cached.upstream !== ctx.upstream) {
    cached = { updatedAt: session.updatedAt, simulation, upstream: ctx.upstream, judged: new Map() };
    judgements.set(session, cached);
  }
  const known = cached.judged.get(rule);
  if (known) return known;

  const { identity, simulated } = effectiveIdentity(ctx, session);
  const bearer = session.id === BEARER_SESSION_ID;
  const verdict = authorizeUnderRule(identity, ctx.upstream, rule, { simulated, serviceToken: bearer });
  const claimHeaders = renderClaimHeaders(identity.claims, ctx.upstream.claimHeaders);
  const oversized = oversizedClaimHeader(claimHeaders);
  const reason = oversized ? `denied: ${oversized}` : bearer ? `${verdict.reason} (bearer token)` : verdict.reason;
  const base = { session, identity, simulated, rule: oversized ? 'claimHeaders' : verdict.rule, reason };
  let judged: SignedIn;
  if (verdict.allowed && !oversized) {
    const responseHeaders = ctx.upstream.setXAuthRequest ? authRequestHeaders(identity, session.tokens, ctx.upstream) : {};
    if (simulation) responseHeaders[SIMULATED_HEADER] = simulatedParts(simulation);
    judged = { kind: 'allowed', ...base, targetHeaders: { ...upstreamIdentityHeaders(identity, session.tokens, ctx.upstream), ...claimHeaders }, claimHeaders, responseHeaders };
  } else {
    judged = { kind: 'denied', ...base };
  }
  cached.judged.set(rule, judged);
  return judged;
}

/**
 * Decides synchronously in the common case (a fresh session or none); only a session that
 * must be refreshed first makes the answer a promise. skipAuthRoutes come first, then the
 * upstream's rules (auth/access-rules.ts), as explain.ts decides too.
 */
export function decideAccess(ctx: AuthContext, method: string, path: string, headers: IncomingHttpHeaders): AccessDecision | Promise<AccessDecision> {
  const gate = gateRequest(ctx, method, path);
  if (gate.kind === 'public') return gate;

  const bearer = ctx.upstream.bearerTokens ? bearerTokenOf(headers) : undefined;
  if (bearer !== undefined) return decideForBearer(ctx, gate, bearer);

  const session = currentSession(ctx, headers);
  return session instanceof Promise ? session.then((s) => decideForSession(ctx, gate, headers, s)) : decideForSession(ctx, gate, headers, session);
}

function decideForSession(ctx: AuthContext, gate: Extract<Gate, { kind: 'protected' }>, headers: IncomingHttpHeaders, session: Session | undefined): AccessDecision {
  const api = gate.api || acceptsJson(headers);
  const rule = gate.rule?.rule.id;
  if (!session) {
    const providerProblem = ctx.provider.problem();
    if (providerProblem) return { kind: 'unavailable', api, rule, reason: providerProblem };
    return { kind: 'unauthenticated', api, rule, reason: 'not signed in' };
  }
  const judged = judge(ctx, session, gate.rule?.rule);
  return judged.kind === 'denied' && api ? { ...judged, api } : judged;
}

async function decideForBearer(ctx: AuthContext, gate: Extract<Gate, { kind: 'protected' }>, token: string): Promise<AccessDecision> {
  const outcome = await bearerSession(ctx, token);
  if ('refused' in outcome) return { kind: 'bad-token', reason: outcome.refused };
  if ('unavailable' in outcome) return { kind: 'unavailable', api: true, reason: outcome.unavailable };
  const judged = judge(ctx, outcome.session, gate.rule?.rule);
  return judged.kind === 'denied' ? { ...judged, api: true } : judged;
}

/** oauth2-proxy answers 401 instead of redirecting when the client says it wants JSON. */
export function acceptsJson(headers: IncomingHttpHeaders): boolean {
  return headers.accept?.includes('application/json') === true;
}
