// explainRequest: the decision, status, rule, sentence, target and headers for every row of the
// shared front end + API table, and the rule matcher's order/method/(?i) behaviour on its own.
import { describe, expect, it } from 'vitest';
import { withUpstreamDefaults } from '../electron/engine/config/defaults.ts';
import { compileAccessRules } from '../electron/engine/auth/access-rules.ts';
import { explainRequest, type ExplainedUpstream } from '../electron/engine/explain.ts';
import { PERSONAS } from './support/serve.ts';
import { RULE_ROWS, SHOP_PATHS, SHOP_RULES, SHOP_SETTINGS } from './support/rules-table.ts';

const FRONT = 'http://127.0.0.1:5173';
const API = 'http://127.0.0.1:5000';
const shop: ExplainedUpstream = {
  ...withUpstreamDefaults({ id: 'shop', listen: { host: '127.0.0.1', port: 4181 }, target: FRONT, ...SHOP_SETTINGS }),
  paths: SHOP_PATHS(API),
  rules: SHOP_RULES,
};

function identityOf(name: string) {
  const p = PERSONAS.find((persona) => persona.username === name)!;
  return { user: p.username, email: p.email, groups: p.groups, roles: [], claims: {}, preferredUsername: p.username, name: p.name };
}

describe('explainRequest over the front end + API table', () => {
  it.each(RULE_ROWS.map((row) => [`${row.method} ${row.path} as ${row.as ?? 'anonymous'}${row.simulate ? ` simulating ${row.simulate}` : ''}`, row] as const))(
    '%s',
    (_name, row) => {
      const got = explainRequest(shop, { method: row.method, path: row.path }, { identity: row.as ? identityOf(row.as) : undefined, simulation: row.simulate ? { groups: [...row.simulate] } : undefined });
      expect({ decision: got.decision, status: got.status, rule: got.rule }).toEqual({ decision: row.decision, status: row.status, rule: row.rule });
      if (row.reason) expect(got.reason).toContain(row.reason);
      if (row.to) expect(got.target?.startsWith(row.to === 'api' ? API : FRONT)).toBe(true);
      else expect(got.target).toBeNull();
      if (row.decision === 'allowed') expect(got.headers['X-Forwarded-Email']).toBe(identityOf(row.as!).email);
      else expect(got.headers).toEqual({});
    },
  );

  it('names the forward URL with the query kept', () => {
    const got = explainRequest(shop, { method: 'GET', path: '/app/api/no_auth?x=1' }, {});
    expect(got.target).toBe(`${API}/app/api/no_auth?x=1`);
  });

  it('carries the simulated groups in the headers', () => {
    const got = explainRequest(shop, { method: 'GET', path: '/' }, { identity: identityOf('bob'), simulation: { groups: ['devs', 'qa'] } });
    expect(got.headers['X-Forwarded-Groups']).toBe('devs,qa');
  });

  it('answers 503 for an anonymous request while the provider is not ready, and endpoints as Portcullis does', () => {
    expect(explainRequest(shop, { method: 'GET', path: '/' }, { providerProblem: 'issuer down' })).toMatchObject({ decision: 'error', status: 503 });
    expect(explainRequest(shop, { method: 'GET', path: '/oauth2/start' }, {})).toMatchObject({ decision: 'endpoint', status: 302, target: null });
    expect(explainRequest(shop, { method: 'GET', path: '/oauth2/auth' }, { identity: identityOf('carol') })).toMatchObject({ status: 403 });
    expect(explainRequest(shop, { method: 'GET', path: '/oauth2/auth' }, { identity: identityOf('bob') })).toMatchObject({ status: 202 });
  });
});

describe('compileAccessRules', () => {
  const rules = compileAccessRules([
    { id: 'first', path: '^/a/', methods: ['POST'] },
    { id: 'second', path: '^/a/b' },
    { id: 'caseless', path: '(?i)^/C/' },
    { id: 'anchored', path: '/d$' },
  ]);
  it.each([
    ['POST', '/a/b', 'first'],
    ['post', '/a/b', 'first'],
    ['GET', '/a/b', 'second'],
    ['GET', '/a/c', undefined],
    ['GET', '/c/x', 'caseless'],
    ['GET', '/C/x', 'caseless'],
    ['GET', '/x/c/', undefined],
    ['GET', '/x/d', 'anchored'],
    ['GET', '/x/d/e', undefined],
  ])('%s %s → %s', (method, path, id) => {
    expect(rules.match(method, path)?.rule.id).toBe(id);
  });

  it('refuses a regex that does not compile, naming the rule', () => {
    expect(() => compileAccessRules([{ id: 'bad', path: '(' }])).toThrow(/rule bad: the regex does not compile/);
  });
});
