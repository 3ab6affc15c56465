// Which requests count as coming through a front proxy: the forwarded host (or Host) and proto
// must spell, exactly, an origin the upstream lists in redirectOrigins. Anything else is a
// direct request, whatever the client claims.
import { describe, expect, it } from 'vitest';
import { frontCallbackUrls, frontOriginOf } from '../../electron/engine/auth/front-origin.ts';

const origins = ['http://127.0.0.1:8080', 'https://portal.example.com'];

describe('front origin', () => {
  it.each<[string, Record<string, string | string[]>, string | undefined]>([
    ['Host of a listed front (HAProxy passes Host through)', { host: '127.0.0.1:8080' }, 'http://127.0.0.1:8080'],
    ['X-Forwarded-Host and -Proto of a listed front (Caddy, Traefik)', { host: 'localhost:4180', 'x-forwarded-host': 'portal.example.com', 'x-forwarded-proto': 'https' }, 'https://portal.example.com'],
    ['the first of a forwarded list', { host: 'x', 'x-forwarded-host': '127.0.0.1:8080, evil.test' }, 'http://127.0.0.1:8080'],
    ['upper-case host', { host: 'PORTAL.example.com', 'x-forwarded-proto': 'https' }, 'https://portal.example.com'],
    ['default port spelt out', { host: 'portal.example.com:443', 'x-forwarded-proto': 'https' }, undefined],
    ['the listener itself', { host: 'localhost:4180' }, undefined],
    ['a forwarded host nobody listed', { host: 'localhost:4180', 'x-forwarded-host': 'evil.test' }, undefined],
    ['a listed host with the wrong scheme', { host: '127.0.0.1:8080', 'x-forwarded-proto': 'https' }, undefined],
    ['a scheme that is not http(s)', { host: '127.0.0.1:8080', 'x-forwarded-proto': 'javascript' }, undefined],
    ['userinfo smuggled in', { host: 'x', 'x-forwarded-host': 'evil.test@127.0.0.1:8080' }, undefined],
    ['a path smuggled in', { host: 'x', 'x-forwarded-host': '127.0.0.1:8080/evil' }, undefined],
    ['a re-spelt address', { host: 'x', 'x-forwarded-host': '0x7f.1:8080' }, undefined],
    ['whitespace', { host: 'x', 'x-forwarded-host': '127.0.0.1 :8080' }, undefined],
    ['no Host at all', {}, undefined],
  ])('%s', (_case, headers, expected) => {
    expect(frontOriginOf(headers, origins)).toBe(expected);
  });

  it('trusts no forwarded header when the upstream lists no origin', () => {
    expect(frontOriginOf({ host: '127.0.0.1:8080', 'x-forwarded-host': '127.0.0.1:8080' }, [])).toBeUndefined();
  });

  it('lists the callback URL on every front origin, for the provider and the console', () => {
    expect(frontCallbackUrls([...origins, 'not a url'])).toEqual(['http://127.0.0.1:8080/oauth2/callback', 'https://portal.example.com/oauth2/callback']);
  });
});
