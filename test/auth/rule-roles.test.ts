// A rule's allowedRoles (docs/configuration.md, "Paths and rules"): the same semantics, words and
// log lines as the upstream's allowedRoles and a rule's allowedGroups — as explain says and the
// listener decides (explain runs the listener's judgement, auth/access-rules.ts).
import { describe, expect, it } from 'vitest';
import { withUpstreamDefaults } from '../../electron/engine/config/defaults.ts';
import { validateConfig } from '../../electron/engine/config/validate.ts';
import { explainRequest, type ExplainedUpstream } from '../../electron/engine/explain.ts';
import type { AccessRule } from '../../electron/engine/config/types.ts';
import type { IdentitySimulation } from '../../electron/engine/identity.ts';

const RULES: AccessRule[] = [
  { id: 'reports', path: '^/reports/', allowedRoles: ['reporter'] },
  { id: 'billing', path: '^/billing/', allowedGroups: ['finance'], allowedRoles: ['billing-admin'] },
  { id: 'ops', path: '^/ops/', allowedEmails: ['ops@example.test'] },
  { id: 'inherit', path: '^/inherit/', api: true },
];
const upstream: ExplainedUpstream = {
  ...withUpstreamDefaults({ id: 'app', listen: { host: '127.0.0.1', port: 4180 }, target: 'http://127.0.0.1:5000', allowedRoles: ['viewer'] }),
  rules: RULES,
};

const who = (roles: string[], groups: string[] = [], email = 'kim@example.test') => ({
  user: 'kim', email, groups, roles, claims: {}, preferredUsername: 'kim', name: 'Kim',
});

describe('allowedRoles on a rule', () => {
  it.each<[string, string, ReturnType<typeof who>, IdentitySimulation | undefined, number, string | null, string]>([
    ['the upstream\'s role outside any rule', '/', who(['viewer']), undefined, 200, 'allowedRoles', 'allowed: has role viewer'],
    ['without the upstream\'s role', '/', who(['reporter']), undefined, 403, 'allowedRoles', 'denied: needs role viewer; has reporter'],
    ['the rule\'s role', '/reports/q', who(['reporter']), undefined, 200, 'reports', 'allowed by rule reports (^/reports/): has role reporter'],
    ['the rule stands in for the upstream\'s roles', '/reports/q', who(['viewer']), undefined, 403, 'reports', 'denied by rule reports (^/reports/): needs role reporter; has viewer'],
    ['no roles at all', '/reports/q', who([]), undefined, 403, 'reports', 'denied by rule reports (^/reports/): needs role reporter; has no roles'],
    ['groups and roles: groups first', '/billing/x', who(['billing-admin'], ['devs']), undefined, 403, 'billing', 'denied by rule billing (^/billing/): needs group finance; has devs'],
    ['groups and roles: both held', '/billing/x', who(['billing-admin'], ['finance']), undefined, 200, 'billing', 'allowed by rule billing (^/billing/): has role billing-admin'],
    ['groups and roles: the role missing', '/billing/x', who(['viewer'], ['finance']), undefined, 403, 'billing', 'denied by rule billing (^/billing/): needs role billing-admin; has viewer'],
    ['a rule with only emails drops the upstream\'s roles', '/ops/x', who([], [], 'ops@example.test'), undefined, 200, 'ops', "allowed by rule ops (^/ops/): email ops@example.test is in the rule's allowedEmails"],
    ['a rule that names no one keeps the upstream\'s roles', '/inherit/x', who(['reporter']), undefined, 403, 'inherit', 'denied by rule inherit (^/inherit/): needs role viewer; has reporter'],
    ['a simulated role', '/reports/q', who(['viewer']), { roles: ['reporter'] }, 200, 'reports', 'allowed by rule reports (^/reports/): has role reporter (simulated)'],
  ])('%s', (_case, path, identity, simulation, status, rule, reason) => {
    const got = explainRequest(upstream, { method: 'GET', path }, { identity, simulation });
    expect({ status: got.status, rule: got.rule, reason: got.reason }).toEqual({ status, rule, reason });
  });
});

describe('check', () => {
  const problems = (rule: Record<string, unknown>) =>
    validateConfig({ upstreams: [{ id: 'app', listen: { host: '127.0.0.1', port: 4180 }, target: 'http://127.0.0.1:5000', rules: [rule] }], providers: [{ id: 'builtin', type: 'builtin' }] })
      .problems.map((p) => `${p.path}: ${p.message}`);

  it('accepts allowedRoles on a rule', () => expect(problems({ id: 'r', path: '^/r/', allowedRoles: ['reporter'] })).toEqual([]));
  it('refuses allowedRoles on a public rule, which never asks who you are', () =>
    expect(problems({ id: 'r', path: '^/r/', public: true, allowedRoles: ['reporter'] })).toEqual([
      '$.upstreams[0].rules[0].public: a public rule needs no sign-in, so its allowedGroups/allowedRoles/allowedEmails would never apply; remove one or the other',
    ]));
  it('refuses a role that is not text', () => expect(problems({ id: 'r', path: '^/r/', allowedRoles: [7] }).join('\n')).toMatch(/\$\.upstreams\[0\]\.rules\[0\]\.allowedRoles\[0\]/));
});
