// The default data dir matches Electron's userData per platform; route rules parse like oauth2-proxy's.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { defaultDataDir } from '../../electron/engine/paths.ts';
import { parseRouteRule, routeRuleMatches } from '../../electron/engine/config/routes.ts';

describe('defaultDataDir', () => {
  it.each<[NodeJS.Platform, NodeJS.ProcessEnv, string]>([
    ['linux', {}, join('/home/u', '.config', 'Portcullis')],
    ['linux', { XDG_CONFIG_HOME: '/xdg' }, join('/xdg', 'Portcullis')],
    ['darwin', {}, join('/home/u', 'Library', 'Application Support', 'Portcullis')],
    ['win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, join('C:\\Users\\u\\AppData\\Roaming', 'Portcullis')],
  ])('%s %j', (platform, env, expected) => {
    expect(defaultDataDir(platform, env, '/home/u')).toBe(expected);
  });
});

describe('route rules', () => {
  it.each<[string, string, string, boolean]>([
    ['^/healthz$', 'GET', '/healthz', true],
    ['^/healthz$', 'POST', '/healthz', true],
    ['GET=^/healthz$', 'GET', '/healthz', true],
    ['GET=^/healthz$', 'get', '/healthz', true],
    ['GET=^/healthz$', 'POST', '/healthz', false],
    ['GET=^/healthz$', 'GET', '/healthz/x', false],
    ['POST!=^/private', 'POST', '/public', true],
    ['POST!=^/private', 'POST', '/private/x', false],
    ['POST!=^/private', 'GET', '/public', false],
    ['!=^/admin', 'GET', '/home', true],
    ['!=^/admin', 'GET', '/admin', false],
    ['^/a=b', 'GET', '/a=b', true],
    ['(?i)^/static/', 'GET', '/STATIC/x.js', true],
  ])('%s matches %s %s: %s', (rule, method, path, expected) => {
    expect(routeRuleMatches(parseRouteRule(rule), method, path)).toBe(expected);
  });

  it.each([['GET=', /empty/], ['(', /does not compile/], ['PUT!=[a-', /does not compile/]])('refuses %j', (rule, message) => {
    expect(() => parseRouteRule(rule)).toThrow(message);
  });
});
