// An upstream's ordered access `rules` (docs/configuration.md, "Paths and rules"): which rule a
// request falls under, whether it needs a session at all, and what a signed-in identity needs
// to pass it — with the sentence the 403 page, the JSON error and the request log show.
// skipAuthRoutes and apiRoutes are looked at before the rules, as the settings promise.
import type { AccessRule } from '../config/types.ts';
import { compilePathRegex } from '../config/routes.ts';
import type { RouteMatcher } from './routes.ts';
import { authorize, type AuthzDecision, type AuthzIdentity, type AuthzRules } from './rules.ts';

export interface CompiledAccessRule {
  readonly index: number;
  readonly rule: AccessRule;
  readonly regex: RegExp;
  /** Upper-case methods, or undefined for every method. */
  readonly methods?: ReadonlySet<string>;
}

export interface AccessRuleMatcher {
  /** The first rule whose methods and path regex match, in configured order. */
  match(method: string, path: string): CompiledAccessRule | undefined;
}

export function compileAccessRules(rules: readonly AccessRule[]): AccessRuleMatcher {
  const compiled: CompiledAccessRule[] = rules.map((rule, index) => {
    try {
      return { index, rule, regex: compilePathRegex(rule.path), methods: rule.methods ? new Set(rule.methods.map((m) => m.toUpperCase())) : undefined };
    } catch (err) {
      throw new Error(`rule ${rule.id}: ${(err as Error).message}`);
    }
  });
  return {
    match(method, path) {
      const upper = method.toUpperCase();
      return compiled.find((c) => (c.methods === undefined || c.methods.has(upper)) && c.regex.test(path));
    },
  };
}

/** How a rule is named to people: `rule admin (^/app/api/admin/)`. */
export function ruleLabel(rule: AccessRule): string {
  return `rule ${rule.id} (${rule.path})`;
}

/** Everything that decides a request before anyone's identity is looked at. */
export interface RequestPolicy {
  readonly skipAuth: RouteMatcher;
  readonly apiRoutes: RouteMatcher;
  readonly rules: AccessRuleMatcher;
}

export type Gate =
  | { kind: 'public'; rule: string; reason: string }
  /** A session is needed; `api` says a refusal is JSON (apiRoutes or the rule's `api`), before the client's Accept is looked at. */
  | { kind: 'protected'; api: boolean; rule?: CompiledAccessRule };

/** skipAuthRoutes first, then the first matching rule; `path` is the normalised path. */
export function gateRequest(policy: RequestPolicy, method: string, path: string): Gate {
  const skip = policy.skipAuth.match(method, path);
  if (skip) return { kind: 'public', rule: `skipAuthRoutes[${skip.index}]`, reason: `public: matches skip-auth rule ${skip.rule}` };
  const rule = policy.rules.match(method, path);
  if (rule?.rule.public) return { kind: 'public', rule: rule.rule.id, reason: `public by ${ruleLabel(rule.rule)}` };
  const api = policy.apiRoutes.match(method, path) !== undefined || rule?.rule.api === true;
  return { kind: 'protected', api, ...(rule ? { rule } : {}) };
}

export interface RuleDecision extends Omit<AuthzDecision, 'rule'> {
  /** The rule id when an access rule decided, else the upstream setting (allowedGroups, emailDomains…). */
  rule?: string;
}

/**
 * Judges a signed-in identity. Without a rule: the upstream's own settings. Under a rule: the
 * upstream's email check still comes first (who may use the upstream at all); then a rule that
 * names any of `allowedGroups`, `allowedRoles` or `allowedEmails` stands in for the upstream's
 * `allowedGroups` and `allowedRoles` with those it names (and no others).
 */
export function authorizeUnderRule(
  identity: AuthzIdentity,
  upstream: AuthzRules,
  rule: AccessRule | undefined,
  opts: { simulated?: boolean; serviceToken?: boolean } = {},
): RuleDecision {
  if (!rule) return authorize(identity, upstream, opts);
  const own = rule.allowedGroups !== undefined || rule.allowedRoles !== undefined || rule.allowedEmails !== undefined;
  const groups = own ? (rule.allowedGroups ?? []) : upstream.allowedGroups;
  const roles = own ? (rule.allowedRoles ?? []) : (upstream.allowedRoles ?? []);
  const verdict = authorize(identity, { ...upstream, allowedGroups: groups, allowedRoles: roles }, opts);
  const label = ruleLabel(rule);
  const relabel = (reason: string) => reason.replace(/^(allowed|denied): /, `$1 by ${label}: `);
  if (!verdict.allowed) return { allowed: false, rule: rule.id, reason: relabel(verdict.reason) };
  const emails = rule.allowedEmails;
  const suffix = opts.simulated ? ' (simulated)' : '';
  if (emails && !emails.some((e) => e.toLowerCase() === identity.email.toLowerCase())) {
    return { allowed: false, rule: rule.id, reason: `denied by ${label}: email ${identity.email} is not in the rule's allowedEmails (${emails.join(', ')})${suffix}` };
  }
  if (emails && groups.length === 0 && roles.length === 0) return { allowed: true, rule: rule.id, reason: `allowed by ${label}: email ${identity.email} is in the rule's allowedEmails${suffix}` };
  return { allowed: true, rule: rule.id, reason: relabel(verdict.reason) };
}
