import { describe, expect, it } from 'vitest';
import { normalizeRequestPath } from '../../electron/engine/http/request-path.ts';
import { compileRoutes } from '../../electron/engine/auth/routes.ts';

describe('compileRoutes', () => {
  const matcher = compileRoutes(['GET=^/healthz$', 'POST!=^/api/', '^/static/', 'put=^/upload$', '!=^/private']);

  it.each([
    ['GET', '/healthz', 0],
    ['get', '/healthz', 0],
    ['POST', '/form', 1],
    ['post', '/form', 1],
    ['POST', '/api/x', 4],
    ['GET', '/api/x', 4],
    ['DELETE', '/static/app.js', 2],
    ['PUT', '/upload', 3],
    ['Put', '/upload', 3],
    ['DELETE', '/private/x', undefined],
    ['HEAD', '/private/healthz', undefined],
    ['POST', '/private/x', 1],
  ])('%s %s -> rule #%s', (method, path, index) => {
    expect(matcher.match(method, path)?.index).toBe(index);
  });

  it('reports the rule that matched as written', () => {
    expect(compileRoutes(['GET=^/healthz$']).match('GET', '/healthz')).toEqual({ index: 0, rule: 'GET=^/healthz$' });
  });

  it.each([
    // oauth2-proxy: `METHOD!=regex` negates the path, for that method only.
    ['GET!=^/api', 'GET', '/static', true],
    ['GET!=^/api', 'GET', '/api/users', false],
    ['GET!=^/api', 'POST', '/static', false],
    ['!=^/api', 'DELETE', '/static', true],
    ['!=^/api', 'DELETE', '/api', false],
    ['^/all$', 'PATCH', '/all', true],
    ['=^/a=b$', 'GET', '/a=b', true],
    ['^/a=b$', 'GET', '/a=b', true],
    ['(?i)^/Public', 'GET', '/PUBLIC/x', true],
    ['^/Public', 'GET', '/public/x', false],
  ])('rule %j: %s %s -> %s', (rule, method, path, matches) => {
    expect(compileRoutes([rule]).match(method, path) !== undefined).toBe(matches);
  });

  it.each(['GET=(bad[regex', '(unclosed', 'GET='])('refuses %j with an error naming the rule', (rule) => {
    expect(() => compileRoutes(['^/ok$', rule])).toThrow(JSON.stringify(rule));
  });

  it('matches nothing with no rules', () => {
    expect(compileRoutes([]).match('GET', '/')).toBeUndefined();
  });
});

describe('skip-route bypass attempts (normalized path, query never matched)', () => {
  const skip = compileRoutes(['^/public']);
  const skipped = (rawUrl: string): boolean | 'rejected' => {
    const n = normalizeRequestPath(rawUrl);
    return 'error' in n ? 'rejected' : skip.match('GET', n.path) !== undefined;
  };

  it.each([
    ['/public', true],
    ['/public/x?y=1', true],
    ['/admin?x=/public', false],
    ['/admin?/public', false],
    ['/admin#/public', false],
    ['/admin%23/public', false],
    ['/admin%3f/public', false],
    ['/public/../admin', false],
    ['/public/%2e%2e/admin', false],
    ['/public/%2E%2E/admin', false],
    ['/public/.%2e/admin', false],
    ['/public/./../admin', false],
    ['/%70ublic', true], // unreserved escapes are decoded: the app sees /public too
    ['/public%2f..%2fadmin', 'rejected'],
    ['/public%5c..%5cadmin', 'rejected'],
    ['/public\\..\\admin', 'rejected'],
    ['/public/..;/admin', 'rejected'],
    ['/public/%00/../admin', 'rejected'],
    ['//public/../admin', false],
  ])('%j skips auth: %s', (raw, expected) => {
    expect(skipped(raw)).toBe(expected);
  });

  it('negated rules cannot be dodged with escapes or slashes either', () => {
    const everythingButAdmin = compileRoutes(['!=^/admin']);
    const skips = (raw: string) => {
      const n = normalizeRequestPath(raw);
      return 'error' in n ? 'rejected' : everythingButAdmin.match('GET', n.path) !== undefined;
    };
    expect(skips('/%61dmin')).toBe(false);
    expect(skips('//admin')).toBe(false);
    expect(skips('/x/../admin')).toBe(false);
    expect(skips('/admin%2fsecret')).toBe('rejected');
    expect(skips('/home')).toBe(true);
  });
});
