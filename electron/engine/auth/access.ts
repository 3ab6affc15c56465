// The access decision for a request that is not one of the /oauth2/* endpoints: public by a
// skip-auth rule, unauthenticated, denied by a rule, or allowed — with the identity (real or
// simulated) that the headers and the request log then use.
import type { IncomingHttpHeaders } from 'node:http';
import type { Identity, Session } from '../identity.ts';
import type { AuthContext } from './context.ts';
import type { AccessRule, UpstreamConfig } from '../config/types.ts';
import { readCookie } from './cookies.ts';
import { authRequestHeaders, SIMULATED_HEADER, upstreamIdentityHeaders } from './headers.ts';
import { authorizeUnderRule, gateRequest, type Gate } from './access-rules.ts';

export type AccessDecision =
  | { kind: 'public'; rule: string; reason: string }
  | { kind: 'unavailable'; api: boolean; rule?: string; reason: string }
  | { kind: 'unauthenticated'; api: boolean; rule?: string; reason: string }
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
    };

export type SignedIn = Extract<AccessDecision, { kind: 'denied' | 'allowed' }>;

/** The signed-in identity as rules and headers see it: with the simulated groups while a simulation runs. */
export function effectiveIdentity(ctx: AuthContext, session: Session): { identity: Identity; simulated: boolean } {
  const groups = ctx.simulatedGroups();
  return groups ? { identity: { ...session.identity, groups }, simulated: true } : { identity: session.identity, simulated: false };
}

/** The usable session behind the request's cookie, refreshed if it was about to expire. */
export function currentSession(ctx: AuthContext, headers: IncomingHttpHeaders): Session | undefined | Promise<Session | undefined> {
  const session = ctx.sessions.lookup(readCookie(headers.cookie, ctx.cookieName), ctx.upstream.id);
  if (!session) return undefined;
  return ctx.sessions.isFresh(session) ? session : ctx.sessions.ensureFresh(session);
}

interface CachedJudgement {
  updatedAt: number;
  simulation: string[] | undefined;
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
 * Judges a signed-in session against the upstream's allowedGroups / allowedEmails / emailDomains,
 * or under an access rule (auth/access-rules.ts) when one matched the request.
 */
export function judge(ctx: AuthContext, session: Session, rule?: AccessRule): SignedIn {
  const simulation = ctx.simulatedGroups();
  let cached = judgements.get(session);
  if (!cached || cached.updatedAt !== session.updatedAt || cached.simulation !== simulation || cached.upstream !== ctx.upstream) {
    cached = { updatedAt: session.updatedAt, simulation, upstream: ctx.upstream, judged: new Map() };
    judgements.set(session, cached);
  }
  const known = cached.judged.get(rule);
  if (known) return known;

  const { identity, simulated } = effectiveIdentity(ctx, session);
  const verdict = authorizeUnderRule(identity, ctx.upstream, rule, { simulated });
  const base = { session, identity, simulated, rule: verdict.rule, reason: verdict.reason };
  let judged: SignedIn;
  if (verdict.allowed) {
    const responseHeaders = ctx.upstream.setXAuthRequest ? authRequestHeaders(identity, session.tokens, ctx.upstream) : {};
    if (simulated) responseHeaders[SIMULATED_HEADER] = 'groups';
    judged = { kind: 'allowed', ...base, targetHeaders: upstreamIdentityHeaders(identity, session.tokens, ctx.upstream), responseHeaders };
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

/** oauth2-proxy answers 401 instead of redirecting when the client says it wants JSON. */
export function acceptsJson(headers: IncomingHttpHeaders): boolean {
  return headers.accept?.includes('application/json') === true;
}
