// "Explain a request" (docs/control-api.md, POST /checks/explain): what a listener would answer a
// method and path for a given identity, under the upstream's current settings — the decision,
// the status, the rule that decided, the sentence the request log would show, the URL it would
// be forwarded to and the identity headers the target would receive. Nothing is sent anywhere:
// it runs the same gate (auth/access-rules.ts), judgement and path choice as the listener.
import type { Decision, Explanation } from './api.ts';
import type { UpstreamConfig } from './config/types.ts';
import type { AccessRule, PathRoute } from './config/types.ts';
import { authorizeUnderRule, compileAccessRules, gateRequest, type RequestPolicy } from './auth/access-rules.ts';
import { upstreamIdentityHeaders } from './auth/headers.ts';
import { normalizeRequestPath } from './http/request-path.ts';
import { compileRoutes } from './auth/routes.ts';
import type { Identity, IdentitySimulation, TokenSet } from './identity.ts';
import { simulatedIdentity } from './auth/simulation.ts';
import { choosePathTarget, targetUrl } from './proxy/path-routing.ts';

export type ExplainedUpstream = UpstreamConfig & { paths?: readonly PathRoute[]; rules?: readonly AccessRule[] };

export interface ExplainRequest {
  method: string;
  /** The request-target as a client sends it: path and optional query. */
  path: string;
}

export interface ExplainWho {
  /** Undefined: an anonymous request. */
  identity?: Identity;
  tokens?: TokenSet;
  /** A running identity simulation, laid over the identity's own groups, roles and claims. */
  simulation?: IdentitySimulation;
  /** Why the upstream's provider is not ready, when it is not. */
  providerProblem?: string;
}


export function policyFor(upstream: ExplainedUpstream): RequestPolicy {
  return { skipAuth: compileRoutes(upstream.skipAuthRoutes), apiRoutes: compileRoutes(upstream.apiRoutes), rules: compileAccessRules(upstream.rules ?? []) };
}

/** What Portcullis answers itself at the oauth2-proxy endpoints, before any rule is looked at. */
function endpointStatus(path: string, signedIn: boolean): number | undefined {
  if (path === '/ping' || path === '/ready' || path === '/oauth2/sign_in') return 200;
  if (path === '/oauth2/start' || path === '/oauth2/sign_out') return 302;
  if (path === '/oauth2/userinfo') return signedIn ? 200 : 401;
  if (path === '/oauth2/callback') return 403;
  if (path.startsWith('/oauth2/')) return path === '/oauth2/auth' ? undefined : 404;
  return undefined;
}

const answer = (decision: Decision, status: number, reason: string, extra: Partial<Explanation> = {}): Explanation => ({
  decision,
  status,
  rule: null,
  reason,
  target: null,
  headers: {},
  ...extra,
});

export function explainRequest(upstream: ExplainedUpstream, request: ExplainRequest, who: ExplainWho, policy: RequestPolicy = policyFor(upstream)): Explanation {
  const normalized = normalizeRequestPath(request.path);
  if ('error' in normalized) return answer('error', 400, `bad path: ${normalized.error}`);
  const { path, search } = normalized;
  const method = request.method.toUpperCase();
  const simulated = who.simulation !== undefined;
  const identity = who.identity && who.simulation ? simulatedIdentity(who.identity, who.simulation) : who.identity;

  const own = endpointStatus(path, identity !== undefined);
  if (own !== undefined) return answer('endpoint', path === '/ready' && who.providerProblem ? 503 : own, `answered by Portcullis itself (${path})`);
  if (path === '/oauth2/auth') {
    if (!identity) return answer('endpoint', 401, 'answered by Portcullis itself (/oauth2/auth): not signed in');
    const verdict = authorizeUnderRule(identity, upstream, undefined, { simulated });
    return answer('endpoint', verdict.allowed ? 202 : 403, `answered by Portcullis itself (/oauth2/auth): ${verdict.reason}`);
  }

  const choice = choosePathTarget(upstream.paths ?? [], upstream.target, path);
  const forwardTo = targetUrl(choice.target, choice.forwardPath) + search;
  const gate = gateRequest(policy, method, path);
  if (gate.kind === 'public') return answer('public', 200, gate.reason, { rule: gate.rule, target: forwardTo });

  const ruleId = gate.rule?.rule.id ?? null;
  if (!identity) {
    if (who.providerProblem) return answer('error', 503, who.providerProblem, { rule: ruleId });
    return gate.api
      ? answer('unauthenticated', 401, 'not signed in (401 for API/JSON)', { rule: ruleId })
      : answer('unauthenticated', 302, 'not signed in: redirected to sign-in', { rule: ruleId });
  }
  const verdict = authorizeUnderRule(identity, upstream, gate.rule?.rule, { simulated });
  if (!verdict.allowed) return answer('denied', 403, verdict.reason, { rule: verdict.rule ?? null });
  const tokens = who.tokens ?? { accessToken: '<access token>', idToken: '<id token>' };
  return answer('allowed', 200, verdict.reason, { rule: verdict.rule ?? null, target: forwardTo, headers: upstreamIdentityHeaders(identity, tokens, upstream) });
}
