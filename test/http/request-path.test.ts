import { describe, expect, it } from 'vitest';
import { normalizeRequestPath } from '../../electron/engine/http/request-path.ts';

describe('normalizeRequestPath', () => {
  it.each([
    ['/', '/', ''],
    ['/app', '/app', ''],
    ['/app/', '/app/', ''],
    ['/app?x=1&y=/admin', '/app', '?x=1&y=/admin'],
    ['/app?', '/app', ''],
    ['/app#frag', '/app', ''],
    ['/app?x=1#frag', '/app', '?x=1'],
    ['/a/./b', '/a/b', ''],
    ['/a/../b', '/b', ''],
    ['/a/b/..', '/a/', ''],
    ['/a/.', '/a/', ''],
    ['/..', '/', ''],
    ['/../../etc/passwd', '/etc/passwd', ''],
    ['/public/../admin', '/admin', ''],
    ['/public/%2e%2e/admin', '/admin', ''],
    ['/public/%2E%2E/admin', '/admin', ''],
    ['/public/.%2e/admin', '/admin', ''],
    ['/public/%2e/x', '/public/x', ''],
    ['//admin', '/admin', ''],
    ['/a//b///c', '/a/b/c', ''],
    ['/%70ublic', '/public', ''],
    ['/%7Euser', '/~user', ''],
    ['/a%20b', '/a%20b', ''],
    ['/a%3fb', '/a%3Fb', ''],
    ['/admin%23/public', '/admin%23/public', ''],
    ['/caf%c3%a9', '/caf%C3%A9', ''],
    ['/a;b=c/d', '/a;b=c/d', ''],
    ['/_stcore/stream', '/_stcore/stream', ''],
    ['/open?file=C:\\data\\x.csv', '/open', '?file=C:\\data\\x.csv'],
  ])('%j -> path %j, search %j', (raw, path, search) => {
    expect(normalizeRequestPath(raw)).toEqual({ path, search });
  });

  it.each([
    ['', 'must start with "/"'],
    ['*', 'must start with "/"'],
    ['http://evil.test/admin', 'must start with "/"'],
    ['admin', 'must start with "/"'],
    ['?x=1', 'must start with "/"'],
    ['/a\\b', 'forbidden character (backslash)'],
    ['/a\0b', 'forbidden character'],
    ['/a\tb', 'forbidden character'],
    ['/a\r\nb', 'forbidden character'],
    ['/a b', 'forbidden character'],
    ['/a\x7fb', 'forbidden character'],
    ['/caf\u00e9', 'forbidden character'],
    ['/x?a=\r\n', 'query contains a forbidden character'],
    ['/public%2f..%2fadmin', 'encoded slash'],
    ['/public%2F..%2Fadmin', 'encoded slash'],
    ['/public%5c..%5cadmin', 'encoded slash or backslash'],
    ['/%2fadmin', 'encoded slash'],
    ['/a%00', 'encoded control character'],
    ['/a%0d%0aX-Injected:1', 'encoded control character'],
    ['/a%7f', 'encoded control character'],
    ['/a%zz', 'invalid percent-encoding'],
    ['/a%', 'invalid percent-encoding'],
    ['/a%2', 'invalid percent-encoding'],
    ['/public/..;/admin', 'dot segment with parameters'],
    ['/public/%2e%2e;x=1/admin', 'dot segment with parameters'],
    ['/public/.;/admin', 'dot segment with parameters'],
  ])('rejects %j (%s)', (raw, message) => {
    const result = normalizeRequestPath(raw);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toContain(message);
  });

  it('is idempotent: normalizing a normalized path changes nothing', () => {
    for (const raw of ['/a/../b/%2e/c', '/%70ublic//x/', '/caf%c3%a9?q=1', '/admin%23/public']) {
      const once = normalizeRequestPath(raw) as { path: string; search: string };
      expect(normalizeRequestPath(once.path + once.search)).toEqual(once);
    }
  });
});
