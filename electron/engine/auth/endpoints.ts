// The oauth2-proxy compatible endpoints every listener answers under /oauth2/ (docs/configuration.md):
// sign_in, start, callback, auth, userinfo, sign_out. Status codes match oauth2-proxy's so an
// app (or an nginx auth_request in front) sees in development what it will see in production.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthContext } from './context.ts';
import type { Outcome } from '../log/request-log.ts';
import { sendJson, sendPage } from '../http/pages.ts';
import { ProviderError } from '../providers/provider-error.ts';
import type { AuthChecks } from '../providers/types.ts';
import type { Session } from '../identity.ts';
import { currentSession, effectiveIdentity, judge } from './access.ts';
import { bearerSession, bearerTokenOf, refuseBearerToken } from './bearer.ts';
import { callbackUrlFor } from './callback-url.ts';
import { oversizedClaimHeader, renderClaimHeaders } from './claim-headers.ts';
import { frontOriginOf } from './front-origin.ts';
import { SESSION_MAX_AGE_MS } from './sessions.ts';
import { expiredCookie, readCookie, serializeCookie } from './cookies.ts';
import { authRequestHeaders } from './headers.ts';
import { validateRedirect } from './redirect.ts';
import { authorizeAuthRequest, parseAuthQueryRules } from './rules.ts';

/** How long a started sign-in may take before its CSRF cookie is no longer accepted. */
export const SIGN_IN_WINDOW_MS = 10 * 60_000;

interface SignInState extends AuthChecks {
  rd: string;
  issuedAt: number;
}

const csrfContext = (ctx: AuthContext) => `csrf:${ctx.upstream.id}`;

type Handler = (ctx: AuthContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<Outcome>;

const handlers: Record<string, Handler> = {
  '/oauth2/sign_in': signInPage,
  '/oauth2/start': start,
  '/oauth2/callback': callback,
  '/oauth2/auth': authCheck,
  '/oauth2/userinfo': userinfo,
  '/oauth2/sign_out': signOut,
};

export function handleOAuthEndpoint(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, path: string, search: string): Promise<Outcome> {
  const handler = handlers[path];
  if (!handler) {
    sendPage(res, { status: 404, title: 'Not found', message: `Portcullis has no endpoint ${path}.` });
    return Promise.resolve({ status: 404, decision: 'endpoint', reason: 'unknown /oauth2/ endpoint' });
  }
  return handler(ctx, req, res, new URLSearchParams(search));
}

function callbackUrl(ctx: AuthContext, req: IncomingMessage): string {
  const front = frontOriginOf(req.headers, ctx.upstream.redirectOrigins);
  return front ? `${front}/oauth2/callback` : callbackUrlFor(req.headers.host, ctx.port, ctx.upstream);
}

/** The validated `rd`; through a front proxy, a path becomes a URL on the front origin. */
function redirectTarget(ctx: AuthContext, req: IncomingMessage, query: URLSearchParams): string {
  const header = req.headers['x-auth-request-redirect'];
  const target = validateRedirect(query.get('rd') ?? (typeof header === 'string' ? header : undefined), ctx.upstream.redirectOrigins);
  const front = target.startsWith('/') ? frontOriginOf(req.headers, ctx.upstream.redirectOrigins) : undefined;
  return front ? `${front}${target}` : target;
}

function redirect(res: ServerResponse, location: string, cookies: string[] = []): void {
  res.writeHead(302, { Location: location, 'Set-Cookie': cookies, 'Cache-Control': 'no-store', 'Content-Length': '0' });
  res.end();
}

async function signInPage(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<Outcome> {
  const session = ctx.sessions.lookup(readCookie(req.headers.cookie, ctx.cookieName), ctx.upstream.id);
  if (session) await ctx.sessions.end(session.id, { revoke: false, reason: 'the sign-in page was opened' });
  const rd = redirectTarget(ctx, req, query);
  res.setHeader('Set-Cookie', expiredCookie(ctx.cookieName));
  sendPage(res, {
    status: 200,
    title: 'Sign in',
    message: `Sign in to open ${ctx.upstream.name ?? ctx.upstream.id}.`,
    actions: [{ href: `/oauth2/start?rd=${encodeURIComponent(rd)}`, label: `Sign in with ${ctx.provider.label}` }],
  });
  return { status: 200, decision: 'endpoint', reason: session ? 'sign-in page (session cleared)' : 'sign-in page' };
}

async function start(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<Outcome> {
  const provider = ctx.provider.ready();
  if (!provider) return providerUnavailable(ctx, res);
  // A provider that does not answer would leave the browser on a connection error page.
  const unreachable = await ctx.provider.readiness();
  if (unreachable) return providerUnreachable(res, unreachable);
  const rd = redirectTarget(ctx, req, query);
  const loginHint = query.get('login_hint') ?? undefined;
  const { url, checks } = await provider.startAuth({ redirectUri: callbackUrl(ctx, req), loginHint });
  const state: SignInState = { ...checks, rd, issuedAt: Date.now() };
  const csrf = serializeCookie(ctx.csrfCookieName, ctx.sealer.seal(JSON.stringify(state), csrfContext(ctx)), {
    maxAge: SIGN_IN_WINDOW_MS / 1000,
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
  });
  redirect(res, url, [csrf]);
  return { status: 302, decision: 'endpoint', reason: loginHint ? `sign-in started (login_hint ${loginHint})` : 'sign-in started' };
}

function providerUnavailable(ctx: AuthContext, res: ServerResponse): Outcome {
  const reason = ctx.provider.problem() ?? 'the provider is not ready';
  sendPage(res, { status: 503, title: 'Sign-in is unavailable', message: `Portcullis cannot reach the identity provider yet, and will keep trying. ${reason}` });
  return { status: 503, decision: 'error', reason };
}

function providerUnreachable(res: ServerResponse, problem: string): Outcome {
  sendPage(res, {
    status: 503,
    title: 'Sign-in is unavailable',
    message: `The identity provider is unreachable, so signing in cannot start. ${problem}`,
    actions: [{ href: '/oauth2/start', label: 'Try again' }],
  });
  return { status: 503, decision: 'error', reason: `provider unreachable: ${problem}` };
}

function readSignInState(ctx: AuthContext, req: IncomingMessage): SignInState | undefined {
  const opened = ctx.sealer.open(readCookie(req.headers.cookie, ctx.csrfCookieName), csrfContext(ctx));
  if (!opened) return undefined;
  try {
    const state = JSON.parse(opened) as SignInState;
    if (typeof state.state !== 'string' || typeof state.issuedAt !== 'number' || Date.now() - state.issuedAt > SIGN_IN_WINDOW_MS) return undefined;
    return state;
  } catch {
    return undefined;
  }
}

function refuseCallback(ctx: AuthContext, res: ServerResponse, message: string, reason: string): Outcome {
  res.setHeader('Set-Cookie', expiredCookie(ctx.csrfCookieName));
  sendPage(res, { status: 403, title: 'Sign-in failed', message, actions: [{ href: '/oauth2/start', label: 'Try again' }] });
  return { status: 403, decision: 'endpoint', reason };
}

async function callback(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<Outcome> {
  const signIn = readSignInState(ctx, req);
  const returnedState = query.get('state');
  if (!signIn || !returnedState || returnedState !== signIn.state) {
    return refuseCallback(ctx, res, 'This sign-in could not be verified (missing or mismatched state). Start the sign-in again from the app.', 'callback refused: state/CSRF mismatch');
  }
  const providerError = query.get('error');
  if (providerError) {
    const description = query.get('error_description');
    return refuseCallback(ctx, res, `The identity provider refused the sign-in: ${providerError}${description ? ` (${description})` : ''}.`, `callback refused: provider error ${providerError}`);
  }
  // Readiness first: a provider blip answers 503 and leaves the state unused, so the same
  // callback succeeds once the provider is back instead of being refused as a replay.
  const provider = ctx.provider.ready();
  if (!provider) return providerUnavailable(ctx, res);
  if (!ctx.usedStates.claim(signIn.state)) {
    return refuseCallback(ctx, res, 'This sign-in link was already used. Start the sign-in again from the app.', 'callback refused: replayed');
  }

  const redirectUri = callbackUrl(ctx, req);
  let result;
  try {
    const received = new URL(redirectUri);
    received.search = query.toString();
    result = await provider.finishAuth({ callbackUrl: received, redirectUri, checks: signIn });
  } catch (err: unknown) {
    const message = err instanceof ProviderError ? err.message : `the token exchange failed: ${(err as Error).message}`;
    // A clock problem is the developer's to fix, so the log says it in full.
    const why = err instanceof ProviderError ? (err.code === 'clock_skew' ? `${err.code}: ${err.message}` : err.code) : 'exchange failed';
    return refuseCallback(ctx, res, `Sign-in failed: ${message}`, `callback refused: ${why}`);
  }
  const oversized = oversizedClaimHeader(renderClaimHeaders(result.identity.claims, ctx.upstream.claimHeaders));
  if (oversized) return refuseCallback(ctx, res, `Sign-in failed: ${oversized}.`, `callback refused: ${oversized}`);
  // Signing in again replaces the browser's previous session rather than leaving it behind.
  const previous = ctx.sessions.lookup(readCookie(req.headers.cookie, ctx.cookieName), ctx.upstream.id);
  if (previous) await ctx.sessions.end(previous.id, { revoke: false, reason: 'signed in again' });
  const { session, cookieValue } = ctx.sessions.create(ctx.upstream.id, provider.id, result);
  redirect(res, signIn.rd, [
    serializeCookie(ctx.cookieName, cookieValue, { maxAge: SESSION_MAX_AGE_MS / 1000, httpOnly: true, sameSite: 'Lax', path: '/' }),
    expiredCookie(ctx.csrfCookieName),
  ]);
  return { status: 302, decision: 'endpoint', reason: 'signed in', user: session.identity.email };
}

/**
 * nginx's auth_request (and Traefik's forwardAuth, Caddy's forward_auth) ask here. With the
 * upstream's bearerTokens on, a request that carries `Authorization: Bearer` is judged by its
 * token, as a proxied request would be; a refused token is a 401 that says why.
 */
async function authCheck(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<Outcome> {
  const bearer = ctx.upstream.bearerTokens ? bearerTokenOf(req.headers) : undefined;
  let session: Session | undefined;
  if (bearer === undefined) session = await currentSession(ctx, req.headers);
  else {
    const outcome = await bearerSession(ctx, bearer);
    if ('refused' in outcome) return refuseBearerToken(res, outcome.refused);
    if ('unavailable' in outcome) {
      sendJson(res, 503, { error: 'unavailable', message: outcome.unavailable });
      return { status: 503, decision: 'error', rule: 'bearerTokens', reason: `auth request: ${outcome.unavailable}` };
    }
    session = outcome.session;
  }
  if (!session) {
    sendJson(res, 401, { error: 'unauthorized', message: 'not signed in' });
    return { status: 401, decision: 'unauthenticated', reason: 'auth request: not signed in' };
  }
  const verdict = judge(ctx, session);
  const headerRule = req.headers['x-auth-request-allowed-groups'];
  const extra = authorizeAuthRequest(verdict.identity, parseAuthQueryRules(query, typeof headerRule === 'string' ? headerRule : undefined), { simulated: verdict.simulated });
  const allowed = verdict.kind === 'allowed' && extra.allowed;
  // The judgement's own reason already names a bearer token; the per-request rules' does not.
  const reason = verdict.kind === 'allowed' ? `${extra.reason}${bearer === undefined ? '' : ' (bearer token)'}` : verdict.reason;
  const rule = verdict.kind === 'allowed' ? extra.rule : verdict.rule;
  const status = allowed ? 202 : 403;
  const granted = allowed && verdict.kind === 'allowed' ? { ...authRequestHeaders(verdict.identity, session.tokens, ctx.upstream), ...verdict.claimHeaders } : {};
  res.writeHead(status, { ...granted, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(allowed ? 'Accepted' : `Forbidden: ${reason}`);
  return { status, decision: allowed ? 'allowed' : 'denied', rule, reason: `auth request ${reason}`, user: verdict.identity.email, simulated: verdict.simulated };
}

async function userinfo(ctx: AuthContext, req: IncomingMessage, res: ServerResponse): Promise<Outcome> {
  const session = await currentSession(ctx, req.headers);
  if (!session) {
    sendJson(res, 401, { error: 'unauthorized', message: 'not signed in' });
    return { status: 401, decision: 'unauthenticated', reason: 'userinfo: not signed in' };
  }
  const { identity, simulated } = effectiveIdentity(ctx, session);
  sendJson(res, 200, { user: identity.user, email: identity.email, groups: identity.groups, preferredUsername: identity.preferredUsername ?? identity.user });
  return { status: 200, decision: 'endpoint', reason: 'userinfo', user: identity.email, simulated };
}

const signOutContext = (ctx: AuthContext) => `sign-out:${ctx.upstream.id}`;

async function signOut(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<Outcome> {
  // Back from signing out at the provider: the sealed state holds the rd checked before leaving.
  const state = query.get('state');
  const returnedRd = state ? ctx.sealer.open(state, signOutContext(ctx)) : undefined;
  if (returnedRd !== undefined) {
    redirect(res, validateRedirect(returnedRd, ctx.upstream.redirectOrigins), [expiredCookie(ctx.cookieName)]);
    return { status: 302, decision: 'endpoint', reason: 'signed out at the provider' };
  }
  const session = ctx.sessions.lookup(readCookie(req.headers.cookie, ctx.cookieName), ctx.upstream.id);
  const rd = redirectTarget(ctx, req, query);
  const atProvider = session ? await providerSignOutUrl(ctx, req, session, rd) : undefined;
  // The session is gone at once; revocation at the provider finishes in the background, so a
  // slow provider does not hold up the browser.
  if (session) void ctx.sessions.end(session.id, { revoke: true, reason: 'signed out' });
  redirect(res, atProvider ?? rd, [expiredCookie(ctx.cookieName)]);
  const reason = !session ? 'sign-out without a session' : atProvider ? 'signed out; signing out at the provider' : 'signed out';
  return { status: 302, decision: 'endpoint', reason, user: session?.identity.email };
}

/**
 * The provider's end-session URL when the provider signs out too (`providerSignOut`): without
 * it, the provider's own session would sign the user straight back in. It returns the browser
 * to this listener's /oauth2/sign_out, which then sends it on to `rd`.
 */
async function providerSignOutUrl(ctx: AuthContext, req: IncomingMessage, session: Session, rd: string): Promise<string | undefined> {
  const provider = ctx.provider.ready();
  const idToken = session.tokens.idToken;
  if (!provider?.endSessionUrl || !idToken || !ctx.provider.signsOutAtProvider()) return undefined;
  const postLogoutRedirectUri = new URL('/oauth2/sign_out', callbackUrl(ctx, req)).href;
  return provider.endSessionUrl({ idToken, postLogoutRedirectUri, state: ctx.sealer.seal(rd, signOutContext(ctx)) }).catch(() => undefined);
}
