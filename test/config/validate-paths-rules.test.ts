// `check` on paths and rules: every hostile or mistaken entry is reported by its JSON path, and a
// good front end + API upstream passes with the lists filled in.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../electron/engine/config/validate.ts';
import { SHOP_PATHS, SHOP_RULES } from '../support/rules-table.ts';

const withUpstream = (extra: Record<string, unknown>) => ({
  upstreams: [{ id: 'shop', listen: { host: '127.0.0.1', port: 0 }, target: 'http://127.0.0.1:5173', ...extra }],
  providers: [{ id: 'builtin', type: 'builtin' }],
});

describe('paths and rules in check', () => {
  it('accepts the front end + API example', () => {
    const result = validateConfig(withUpstream({ paths: SHOP_PATHS('http://127.0.0.1:5000'), rules: SHOP_RULES }));
    expect(result.problems).toEqual([]);
    expect(result.config!.upstreams[0].rules).toEqual(SHOP_RULES);
  });

  it('fills empty lists when they are left out', () => {
    expect(validateConfig(withUpstream({})).config!.upstreams[0]).toMatchObject({ paths: [], rules: [] });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a path without a leading /', { paths: [{ path: 'api/', target: 'http://127.0.0.1:1' }] }, '$.upstreams[0].paths[0].path', /must start with "\/"/],
    ['a path that is not normalised', { paths: [{ path: '/a/../b/', target: 'http://127.0.0.1:1' }] }, '$.upstreams[0].paths[0].path', /write "\/b\/"/],
    ['an encoded slash in a path', { paths: [{ path: '/a%2Fb/', target: 'http://127.0.0.1:1' }] }, '$.upstreams[0].paths[0].path', /encoded slash/],
    ['a query in a path', { paths: [{ path: '/a?x=1', target: 'http://127.0.0.1:1' }] }, '$.upstreams[0].paths[0].path', /without a query/],
    ['the same prefix twice', { paths: [{ path: '/a/', target: 'http://127.0.0.1:1' }, { path: '/a', target: 'http://127.0.0.1:2' }] }, '$.upstreams[0].paths[1].path', /already routed by \$\.upstreams\[0\]\.paths\[0\]/],
    ['a target that is not http(s)', { paths: [{ path: '/a/', target: 'file:///etc/passwd' }] }, '$.upstreams[0].paths[0].target', /http:\/\/ or https:\/\//],
    ['a relative target', { paths: [{ path: '/a/', target: '/elsewhere' }] }, '$.upstreams[0].paths[0].target', /not an absolute URL/],
    ['a target with credentials', { paths: [{ path: '/a/', target: 'http://u:p@127.0.0.1:1' }] }, '$.upstreams[0].paths[0].target', /user name or password/],
    ['an unknown key in a path', { paths: [{ path: '/a/', target: 'http://127.0.0.1:1', strip: true }] }, '$.upstreams[0].paths[0].strip', /unknown key/],
    ['a bad regex', { rules: [{ id: 'r', path: '[' }] }, '$.upstreams[0].rules[0].path', /does not compile/],
    ['an empty regex', { rules: [{ id: 'r', path: '' }] }, '$.upstreams[0].rules[0].path', /./],
    ['an unknown method', { rules: [{ id: 'r', path: '^/', methods: ['GET', 'BREW'] }] }, '$.upstreams[0].rules[0].methods[1]', /unknown method "BREW"/],
    ['a lower-case method', { rules: [{ id: 'r', path: '^/', methods: ['post'] }] }, '$.upstreams[0].rules[0].methods[0]', /unknown method "post"/],
    ['a duplicate rule id', { rules: [{ id: 'r', path: '^/a' }, { id: 'r', path: '^/b' }] }, '$.upstreams[0].rules[1].id', /duplicate rule id "r"/],
    ['a rule id that is not an id', { rules: [{ id: '../x', path: '^/a' }] }, '$.upstreams[0].rules[0].id', /./],
    ['a public rule with groups', { rules: [{ id: 'r', path: '^/a', public: true, allowedGroups: ['x'] }] }, '$.upstreams[0].rules[0].public', /would never apply/],
  ])('reports %s by its JSON path', (_name, extra, path, message) => {
    const { problems } = validateConfig(withUpstream(extra));
    const found = problems.find((p) => p.path === path);
    expect(found, JSON.stringify(problems)).toBeDefined();
    expect(found!.message).toMatch(message);
  });
});
