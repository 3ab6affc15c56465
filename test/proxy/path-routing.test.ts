// Which target serves a path: prefixes on segment edges, the longest wins, stripPrefix, and the
// request-path normalisation the rules see (`//` collapsed, encoded slashes refused).
import { describe, expect, it } from 'vitest';
import { normalizeRequestPath } from '../../electron/engine/http/request-path.ts';
import { choosePathTarget, targetUrl } from '../../electron/engine/proxy/path-routing.ts';

const FRONT = 'http://127.0.0.1:5173';
const API = 'http://127.0.0.1:5000';
const MEDIA = 'http://127.0.0.1:9000';
const ADMIN = 'http://127.0.0.1:7000';
const paths = [
  { path: '/app/api/', target: API },
  { path: '/media/', target: MEDIA, stripPrefix: true },
  { path: '/app/api/admin', target: ADMIN },
  { path: '/exact', target: ADMIN, stripPrefix: true },
];

/** The raw request-target as a client sends it → the URL the request reaches (or the 400 reason). */
function route(raw: string): string {
  const normalized = normalizeRequestPath(raw);
  if ('error' in normalized) return `400 ${normalized.error}`;
  const choice = choosePathTarget(paths, FRONT, normalized.path);
  return targetUrl(choice.target, choice.forwardPath) + normalized.search;
}

describe('choosePathTarget', () => {
  it.each([
    // no match → the upstream's own target, path untouched
    ['/', `${FRONT}/`],
    ['/index.html', `${FRONT}/index.html`],
    ['/app/', `${FRONT}/app/`],
    ['/app/apix', `${FRONT}/app/apix`],
    // prefix on segment edges
    ['/app/api/', `${API}/app/api/`],
    ['/app/api', `${API}/app/api`],
    ['/app/api/userinfo', `${API}/app/api/userinfo`],
    ['/app/api/no_auth?x=1', `${API}/app/api/no_auth?x=1`],
    ['/App/api/userinfo', `${FRONT}/App/api/userinfo`],
    // the longest prefix wins, whatever the order in the list
    ['/app/api/admin', `${ADMIN}/app/api/admin`],
    ['/app/api/admin/users', `${ADMIN}/app/api/admin/users`],
    ['/app/api/administrators', `${API}/app/api/administrators`],
    // stripPrefix edges
    ['/media/a.png', `${MEDIA}/a.png`],
    ['/media/', `${MEDIA}/`],
    ['/media', `${MEDIA}/`],
    ['/media/sub/b.png?v=2', `${MEDIA}/sub/b.png?v=2`],
    ['/mediax/a.png', `${FRONT}/mediax/a.png`],
    ['/exact', `${ADMIN}/`],
    ['/exact/x', `${ADMIN}/x`],
    ['/exactly', `${FRONT}/exactly`],
    // `//`, dot segments and escapes are normalised before the choice, as the rules see them
    ['//app//api//userinfo', `${API}/app/api/userinfo`],
    ['/app/./api/userinfo', `${API}/app/api/userinfo`],
    ['/app/api/../api/userinfo', `${API}/app/api/userinfo`],
    ['/media/../app/api/x', `${API}/app/api/x`],
    ['/%61pp/api/x', `${API}/app/api/x`],
    ['/media//a.png', `${MEDIA}/a.png`],
    // encoded slashes are refused, so `/app%2Fapi` can never reach either target ambiguously
    ['/app%2Fapi/x', '400 request path contains an encoded slash or backslash'],
    ['/app%2fapi/x', '400 request path contains an encoded slash or backslash'],
    ['/media%2F..%2Fapp/api/x', '400 request path contains an encoded slash or backslash'],
  ])('%s → %s', (raw, expected) => {
    expect(route(raw)).toBe(expected);
  });

  it('a `/` entry takes everything no longer prefix takes', () => {
    const all = [{ path: '/', target: API }, { path: '/static/', target: MEDIA }];
    expect(choosePathTarget(all, FRONT, '/x').target).toBe(API);
    expect(choosePathTarget(all, FRONT, '/static/a.js').target).toBe(MEDIA);
  });

  it('puts a target base path in front of the forwarded path', () => {
    expect(targetUrl('http://127.0.0.1:5000/base/', '/x')).toBe('http://127.0.0.1:5000/base/x');
    expect(targetUrl('http://127.0.0.1:5000', '/x')).toBe('http://127.0.0.1:5000/x');
  });

  it('says which entry matched', () => {
    expect(choosePathTarget(paths, FRONT, '/media/a').index).toBe(1);
    expect(choosePathTarget(paths, FRONT, '/other').index).toBeUndefined();
  });
});
