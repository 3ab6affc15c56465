// The request path of one listener: health endpoints, the /oauth2/* endpoints, then the access
// decision and the forward to the target with the header policy applied. Everything a request
// did ends up in the request log, with the decision and its reason.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Outcome } from '../log/request-log.ts';
import { decideAccess, type AccessDecision } from '../auth/access.ts';
import { handleOAuthEndpoint } from '../auth/endpoints.ts';
import { SIMULATED_HEADER } from '../auth/headers.ts';
import { simulatedParts } from '../auth/simulation.ts';
import { refuseBearerToken } from '../auth/bearer.ts';
import { normalizeRequestPath } from '../http/request-path.ts';
import { connectionsFor, type UpstreamContext } from './context.ts';
import { answersToHost, misdirectedMessage, refusedHostReason } from './listener-host.ts';
import { sendJson, sendPage, sendText } from '../http/pages.ts';
import { targetHeaderPolicy } from './target-policy.ts';

export async function handleRequest(ctx: UpstreamContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const normalized = normalizeRequestPath(req.url ?? '/');
  const method = req.method ?? 'GET';
  let outcome: Outcome;
  let logPath: string;
  if (!answersToHost(req.headers.host, ctx.port, ctx.upstream)) {
    logPath = '(refused host)';
    sendPage(res, { status: 421, title: 'Misdirected request', message: misdirectedMessage(ctx.port) });
    outcome = { status: 421, decision: 'error', reason: refusedHostReason(req.headers.host) };
  } else if ('error' in normalized) {
    logPath = '(rejected path)';
    const simulation = ctx.simulation();
    if (simulation) res.setHeader(SIMULATED_HEADER, simulatedParts(simulation));
    sendPage(res, { status: 400, title: 'Bad request', message: `Portcullis refused this request path: ${normalized.error}.` });
    outcome = { status: 400, decision: 'error', reason: `bad path: ${normalized.error}` };
  } else {
    logPath = normalized.path;
    try {
      outcome = await route(ctx, req, res, method, normalized.path, normalized.search);
    } catch (err) {
      outcome = { status: 500, decision: 'error', reason: `internal error: ${(err as Error).message}` };
      if (!res.headersSent) sendPage(res, { status: 500, title: 'Portcullis error', message: 'Portcullis failed to handle this request. The request log in the console has the details.' });
      else res.destroy();
    }
  }
  ctx.log.add({
    time: Date.now(),
    upstreamId: ctx.upstream.id,
    method,
    path: logPath,
    status: outcome.status,
    decision: outcome.decision,
    rule: outcome.rule,
    reason: outcome.reason,
    user: outcome.user,
    simulated: outcome.simulated,
    ...(outcome.target ? { target: outcome.target } : {}),
    durationMs: performance.now() - started,
  });
}

async function route(ctx: UpstreamContext, req: IncomingMessage, res: ServerResponse, method: string, path: string, search: string): Promise<Outcome> {
  // While a simulation runs, every response says which parts: `X-Portcullis-Simulated: groups,roles`.
  // Answers Portcullis writes itself carry the mark from here; proxied answers get it through
  // the forwarder's response headers instead.
  const simulation = ctx.simulation();
  const mark = simulation ? { [SIMULATED_HEADER]: simulatedParts(simulation) } : undefined;
  const markOwnAnswer = () => mark && res.setHeader(SIMULATED_HEADER, mark[SIMULATED_HEADER]);
  if (path === '/ping' || path === '/ready' || path.startsWith('/oauth2/')) markOwnAnswer();
  if (path === '/ping') {
    sendText(res, 200, 'OK');
    return { status: 200, decision: 'endpoint', reason: 'ping' };
  }
  if (path === '/ready') {
    const problem = await ctx.provider.readiness();
    sendText(res, problem ? 503 : 200, problem ?? 'OK');
    return { status: problem ? 503 : 200, decision: 'endpoint', reason: problem ? `not ready: ${problem}` : 'ready' };
  }
  if (path.startsWith('/oauth2/')) return handleOAuthEndpoint(ctx, req, res, path, search);

  const pending = decideAccess(ctx, method, path, req.headers);
  const decision = pending instanceof Promise ? await pending : pending;
  if (decision.kind !== 'public' && decision.kind !== 'allowed') markOwnAnswer();
  return respond(ctx, req, res, decision, path, search, mark);
}

async function respond(ctx: UpstreamContext, req: IncomingMessage, res: ServerResponse, decision: AccessDecision, path: string, search: string, mark: Record<string, string> | undefined): Promise<Outcome> {
  const pathAndQuery = path + search;
  switch (decision.kind) {
    case 'public': {
      const { status, target } = await forward(ctx, req, res, path, search, undefined, mark);
      return { status, decision: 'public', rule: decision.rule, reason: decision.reason, target };
    }
    case 'unavailable': {
      if (decision.api) {
        sendJson(res, 503, { error: 'unavailable', message: `Sign-in is unavailable: ${decision.reason}` });
        return { status: 503, decision: 'error', rule: decision.rule, reason: decision.reason };
      }
      sendPage(res, {
        status: 503,
        title: 'Sign-in is unavailable',
        message: `Portcullis cannot reach the identity provider for this app yet, and will keep trying. ${decision.reason}`,
        actions: [{ href: pathAndQuery, label: 'Try again' }],
      });
      return { status: 503, decision: 'error', rule: decision.rule, reason: decision.reason };
    }
    case 'unauthenticated': {
      if (decision.api) {
        sendJson(res, 401, { error: 'unauthorized', message: 'Sign in first: this request carries no valid session.' });
        return { status: 401, decision: 'unauthenticated', rule: decision.rule, reason: 'not signed in (401 for API/JSON)' };
      }
      res.writeHead(302, { Location: `/oauth2/start?rd=${encodeURIComponent(pathAndQuery)}`, 'Cache-Control': 'no-store', 'Content-Length': '0' });
      res.end();
      return { status: 302, decision: 'unauthenticated', rule: decision.rule, reason: 'not signed in: redirected to sign-in' };
    }
    case 'bad-token':
      return refuseBearerToken(res, decision.reason);
    case 'denied': {
      const refused = { status: 403, decision: 'denied', rule: decision.rule, reason: decision.reason, user: decision.identity.email || decision.identity.user, simulated: decision.simulated } as const;
      if (decision.api) {
        sendJson(res, 403, { error: 'forbidden', message: decision.reason, ...(decision.rule ? { rule: decision.rule } : {}) });
        return refused;
      }
      sendPage(res, {
        status: 403,
        title: 'Access denied',
        message: `${decision.identity.email || decision.identity.user} is signed in but may not open this app.`,
        details: [
          ['Rule', decision.rule ?? 'authorization'],
          ['Reason', decision.reason],
          ...(decision.simulated ? ([['Groups', `${decision.identity.groups.join(', ') || '(none)'} — simulated`], ['Roles', `${decision.identity.roles.join(', ') || '(none)'}`]] as Array<[string, string]>) : []),
        ],
        actions: [{ href: '/oauth2/sign_out', label: 'Sign out' }],
      });
      return refused;
    }
    case 'allowed': {
      const { status, target } = await forward(ctx, req, res, path, search, decision.targetHeaders, decision.responseHeaders);
      return { status, decision: 'allowed', rule: decision.rule, reason: decision.reason, user: decision.identity.email || decision.identity.user, simulated: decision.simulated, target };
    }
  }
}

/** Forwards to the target that serves `path` (a `paths` entry or the upstream's own), with its path. */
async function forward(ctx: UpstreamContext, req: IncomingMessage, res: ServerResponse, path: string, search: string, setHeaders: Record<string, string> | undefined, responseHeaders: Record<string, string> | undefined) {
  const { connections, forwardPath } = connectionsFor(ctx, path);
  const { status } = await connections.forwarder.forward(req, res, { path: forwardPath + search, ...targetHeaderPolicy(ctx, req, setHeaders), responseHeaders });
  return { status, target: connections.target };
}
