// One table of requests against a front end + API upstream with paths and rules, shared by the
// pure explain test and the test that runs every row through a real listener (explain must say
// what the listener really answers).
import type { AccessRule, PathRoute } from '../../electron/engine/config/types.ts';

export type Persona = 'alice' | 'bob' | 'carol';

export interface RuleRow {
  method: string;
  path: string;
  /** Signed in as this persona; anonymous when absent. */
  as?: Persona;
  /** A group simulation running on the upstream. */
  simulate?: string[];
  decision: 'public' | 'allowed' | 'denied' | 'unauthenticated' | 'error';
  status: number;
  rule: string | null;
  /** The reason, or a part of it that the row is about. */
  reason?: string;
  /** Where the request goes: `api` (the `/app/api/` target) or `front` (the upstream's own). */
  to?: 'api' | 'front';
}

export const SHOP_PATHS = (api: string): PathRoute[] => [{ path: '/app/api/', target: api }];

export const SHOP_RULES: AccessRule[] = [
  { id: 'public-api', path: '^/app/api/no_auth$', public: true },
  { id: 'admin', path: '^/app/api/admin/', methods: ['POST', 'PUT', 'DELETE'], allowedGroups: ['admins'], api: true },
  { id: 'reports', path: '(?i)^/reports/', allowedGroups: ['analysts'] },
  { id: 'ops', path: '^/ops/', allowedEmails: ['carol@other.test'] },
  // Shadowed by skipAuthRoutes, which are checked first.
  { id: 'health-locked', path: '^/healthz$', allowedGroups: ['nobody'] },
  { id: 'api', path: '^/app/api/', api: true },
];

export const SHOP_SETTINGS = {
  allowedGroups: ['devs'],
  skipAuthRoutes: ['GET=^/healthz$'],
  apiRoutes: ['^/v2/'],
};

export const RULE_ROWS: RuleRow[] = [
  { method: 'GET', path: '/', decision: 'unauthenticated', status: 302, rule: null },
  { method: 'GET', path: '/', as: 'bob', decision: 'allowed', status: 200, rule: 'allowedGroups', to: 'front' },
  { method: 'GET', path: '/', as: 'carol', decision: 'denied', status: 403, rule: 'allowedGroups', reason: 'denied: needs group devs; has ops' },
  { method: 'GET', path: '/app/api/no_auth', decision: 'public', status: 200, rule: 'public-api', reason: 'public by rule public-api (^/app/api/no_auth$)', to: 'api' },
  { method: 'GET', path: '/app/api/no_auth?x=1', decision: 'public', status: 200, rule: 'public-api', to: 'api' },
  { method: 'GET', path: '/app/api/no_auth/x', decision: 'unauthenticated', status: 401, rule: 'api' },
  { method: 'GET', path: '/app/api/userinfo', decision: 'unauthenticated', status: 401, rule: 'api' },
  { method: 'GET', path: '/app/api/userinfo', as: 'bob', decision: 'allowed', status: 200, rule: 'api', reason: 'allowed by rule api (^/app/api/): member of devs', to: 'api' },
  { method: 'GET', path: '/app/api/userinfo', as: 'carol', decision: 'denied', status: 403, rule: 'api', reason: 'denied by rule api (^/app/api/): needs group devs; has ops' },
  { method: 'POST', path: '/app/api/admin/x', as: 'bob', decision: 'denied', status: 403, rule: 'admin', reason: 'denied by rule admin (^/app/api/admin/): needs group admins; has devs' },
  { method: 'POST', path: '/app/api/admin/x', as: 'alice', decision: 'allowed', status: 200, rule: 'admin', reason: 'allowed by rule admin (^/app/api/admin/): member of admins', to: 'api' },
  { method: 'POST', path: '/app/api/admin/x', decision: 'unauthenticated', status: 401, rule: 'admin' },
  // methods: GET is not in the admin rule's list, so the next rule decides
  { method: 'GET', path: '/app/api/admin/x', as: 'bob', decision: 'allowed', status: 200, rule: 'api', to: 'api' },
  { method: 'DELETE', path: '/app/api/admin/x', as: 'bob', decision: 'denied', status: 403, rule: 'admin' },
  { method: 'PATCH', path: '/app/api/admin/x', as: 'bob', decision: 'allowed', status: 200, rule: 'api', to: 'api' },
  // normalisation: the rule sees the path the target gets
  { method: 'POST', path: '/app//api/admin/x', as: 'bob', decision: 'denied', status: 403, rule: 'admin' },
  { method: 'POST', path: '/app/api/public/../admin/x', as: 'bob', decision: 'denied', status: 403, rule: 'admin' },
  { method: 'POST', path: '/app/api/%61dmin/x', as: 'bob', decision: 'denied', status: 403, rule: 'admin' },
  { method: 'GET', path: '/app%2Fapi/admin/x', as: 'bob', decision: 'error', status: 400, rule: null },
  // (?i)
  { method: 'GET', path: '/REPORTS/q', as: 'alice', decision: 'denied', status: 403, rule: 'reports', reason: 'denied by rule reports ((?i)^/reports/): needs group analysts; has admins, devs' },
  { method: 'GET', path: '/Reports/q', decision: 'unauthenticated', status: 302, rule: 'reports' },
  // a rule's allowedEmails stands in for the upstream's allowedGroups
  { method: 'GET', path: '/ops/x', as: 'carol', decision: 'allowed', status: 200, rule: 'ops', reason: "allowed by rule ops (^/ops/): email carol@other.test is in the rule's allowedEmails", to: 'front' },
  { method: 'GET', path: '/ops/x', as: 'alice', decision: 'denied', status: 403, rule: 'ops', reason: "denied by rule ops (^/ops/): email alice@example.test is not in the rule's allowedEmails (carol@other.test)" },
  // skipAuthRoutes and apiRoutes come before the rules
  { method: 'GET', path: '/healthz', decision: 'public', status: 200, rule: 'skipAuthRoutes[0]', to: 'front' },
  { method: 'POST', path: '/healthz', decision: 'unauthenticated', status: 302, rule: 'health-locked' },
  { method: 'GET', path: '/v2/orders', decision: 'unauthenticated', status: 401, rule: null },
  // group simulation applies to rules
  { method: 'POST', path: '/app/api/admin/x', as: 'bob', simulate: ['admins'], decision: 'allowed', status: 200, rule: 'admin', reason: 'member of admins (simulated)', to: 'api' },
  { method: 'POST', path: '/app/api/admin/x', as: 'alice', simulate: ['devs'], decision: 'denied', status: 403, rule: 'admin', reason: 'denied by rule admin (^/app/api/admin/): needs group admins; has devs (simulated)' },
  { method: 'GET', path: '/reports/q', as: 'bob', simulate: ['analysts'], decision: 'allowed', status: 200, rule: 'reports', to: 'front' },
];
