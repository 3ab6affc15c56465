import { describe, expect, it } from 'vitest';
import {
  authRequestHeaders,
  headerSafe,
  isClientIdentityHeader,
  SIMULATED_HEADER,
  upstreamIdentityHeaders,
} from '../../electron/engine/auth/headers.ts';
import type { Identity, TokenSet } from '../../electron/engine/identity.ts';

const identity: Identity = { user: 'sub-alice', email: 'alice@example.test', groups: ['admins', 'devs'], roles: [], claims: {}, preferredUsername: 'alice' };
const tokens: TokenSet = { accessToken: 'at-123', idToken: 'id.jwt.sig' };

describe('isClientIdentityHeader', () => {
  it.each([
    'X-Forwarded-User',
    'x-forwarded-user',
    'X_FORWARDED_USER',
    'X-Forwarded-Email',
    'X_FORWARDED_EMAIL',
    'x-forwarded_email',
    'x_forwarded-Email',
    'X-Forwarded-Groups',
    'x_forwarded_groups',
    'X-Forwarded-Preferred-Username',
    'x_forwarded_preferred_username',
    'X-Forwarded-Access-Token',
    'X_Forwarded_Access_Token',
    'X-Auth-Request-User',
    'X-Auth-Request-Email',
    'X-Auth-Request-Anything',
    'x_auth_request_redirect',
    'X-AUTH-REQUEST-ACCESS-TOKEN',
    'X-Auth-Request-Allowed-Groups',
    'x-portcullis-simulated',
    'X_PORTCULLIS_SIMULATED',
    'X-Portcullis-Anything',
    SIMULATED_HEADER,
  ])('%s is stripped whatever the flags', (name) => {
    expect(isClientIdentityHeader(name, false)).toBe(true);
    expect(isClientIdentityHeader(name, true)).toBe(true);
  });

  it.each(['Authorization', 'authorization', 'AUTHORIZATION'])('%s is stripped only with passAuthorizationHeader', (name) => {
    expect(isClientIdentityHeader(name, true)).toBe(true);
    expect(isClientIdentityHeader(name, false)).toBe(false);
  });

  it.each([
    'X-Forwarded-For',
    'X-Forwarded-Proto',
    'X-Forwarded-Host',
    'X-Forwarded-Userx',
    'X-Forwarded-Users',
    'X-Auth-Request',
    'X-Portcullis',
    'Cookie',
    'Accept',
    'Proxy-Authorization',
  ])('%s is left alone', (name) => {
    expect(isClientIdentityHeader(name, true)).toBe(false);
  });
});

describe('upstreamIdentityHeaders', () => {
  it.each([
    [{ passUserHeaders: false, passAccessToken: false, passAuthorizationHeader: false }, {}],
    [
      { passUserHeaders: true, passAccessToken: false, passAuthorizationHeader: false },
      {
        'X-Forwarded-User': 'sub-alice',
        'X-Forwarded-Email': 'alice@example.test',
        'X-Forwarded-Groups': 'admins,devs',
        'X-Forwarded-Preferred-Username': 'alice',
      },
    ],
    [{ passUserHeaders: false, passAccessToken: true, passAuthorizationHeader: false }, { 'X-Forwarded-Access-Token': 'at-123' }],
    [{ passUserHeaders: false, passAccessToken: false, passAuthorizationHeader: true }, { Authorization: 'Bearer id.jwt.sig' }],
  ])('flags %j -> %j', (flags, expected) => {
    expect(upstreamIdentityHeaders(identity, tokens, flags)).toEqual(expected);
  });

  it('leaves out empty values (no groups, no preferred username, no id token)', () => {
    const bare: Identity = { user: 'u', email: 'u@example.test', groups: [], roles: [], claims: {} };
    expect(upstreamIdentityHeaders(bare, { accessToken: 'at' }, { passUserHeaders: true, passAccessToken: false, passAuthorizationHeader: true })).toEqual({
      'X-Forwarded-User': 'u',
      'X-Forwarded-Email': 'u@example.test',
    });
  });
});

describe('authRequestHeaders', () => {
  it.each([
    [
      false,
      {
        'X-Auth-Request-User': 'sub-alice',
        'X-Auth-Request-Email': 'alice@example.test',
        'X-Auth-Request-Groups': 'admins,devs',
        'X-Auth-Request-Preferred-Username': 'alice',
      },
    ],
    [true, { 'X-Auth-Request-Access-Token': 'at-123' }],
  ])('passAccessToken %s', (passAccessToken, expected) => {
    expect(authRequestHeaders(identity, tokens, { passAccessToken })).toMatchObject(expected);
    expect('X-Auth-Request-Access-Token' in authRequestHeaders(identity, tokens, { passAccessToken })).toBe(passAccessToken);
  });
});

describe('identity values cannot split or smuggle headers', () => {
  const hostile: Identity = {
    user: 'mallory\r\nX-Forwarded-Email: admin@example.test',
    email: 'm@example.test\n',
    groups: ['devs\r\nX-Injected: 1', 'x,admins', '\u0000'],
    roles: [],
    claims: {},
    preferredUsername: '\u0007\u007f',
  };

  it('drops control characters, comma-bearing groups and values left empty', () => {
    const all = {
      ...upstreamIdentityHeaders(hostile, { accessToken: 'a\r\nb' }, { passUserHeaders: true, passAccessToken: true, passAuthorizationHeader: false }),
      ...authRequestHeaders(hostile, { accessToken: 'a\r\nb' }, { passAccessToken: true }),
    };
    for (const value of Object.values(all)) expect(value).not.toMatch(/[\r\n\u0000-\u001f\u007f]/);
    expect(all['X-Forwarded-User']).toBe('malloryX-Forwarded-Email: admin@example.test');
    expect(all['X-Forwarded-Groups']).toBe('devsX-Injected: 1');
    expect(all).not.toHaveProperty('X-Forwarded-Preferred-Username');
  });

  it.each([
    ['plain', 'plain'],
    ['  padded  ', 'padded'],
    ['a\tb', 'ab'],
    ['Développeurs', Buffer.from('Développeurs', 'utf8').toString('latin1')],
    ['開発', Buffer.from('開発', 'utf8').toString('latin1')],
  ])('headerSafe(%j)', (input, expected) => {
    const safe = headerSafe(input);
    expect(safe).toBe(expected);
    // Node writes one byte per char, so these are the UTF-8 bytes on the wire
    expect(Buffer.from(safe, 'latin1').toString('utf8')).toBe(input.replace(/\t/g, '').trim());
  });
});
