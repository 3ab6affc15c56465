import { describe, expect, it } from 'vitest';
import {
  csrfCookieName,
  expiredCookie,
  isPortcullisCookie,
  readCookie,
  removeCookies,
  serializeCookie,
  sessionCookieName,
} from '../../electron/engine/auth/cookies.ts';

describe('cookie names', () => {
  it('names one session and one CSRF cookie per listener port', () => {
    expect(sessionCookieName(4180)).toBe('_portcullis_4180');
    expect(csrfCookieName(4180)).toBe('_portcullis_4180_csrf');
  });

  it.each([
    ['_portcullis_4180', true],
    ['_portcullis_4181_csrf', true],
    ['_portcullis_console', true],
    ['_portcullis', true],
    ['_portcullisx', false],
    ['portcullis_4180', false],
    ['session', false],
    ['_oauth2_proxy', false],
  ])('isPortcullisCookie(%j) -> %s', (name, expected) => {
    expect(isPortcullisCookie(name)).toBe(expected);
  });
});

describe('readCookie', () => {
  it.each([
    [undefined, {}],
    ['', {}],
    ['a=1', { a: '1' }],
    ['a=1; b=2', { a: '1', b: '2' }],
    ['a=1;b=2;;  c = 3 ', { a: '1', b: '2', c: '3' }],
    ['a="quoted"', { a: 'quoted' }],
    ['a=x=y=z', { a: 'x=y=z' }],
    ['a=1; a=2', { a: '1' }],
    ['noequals; b=2', { b: '2' }],
    ['=novalue; b=2', { b: '2' }],
    ['a=%E0%A4%A', { a: '%E0%A4%A' }],
    ['a=\u0000\u00ff', { a: '\u0000\u00ff' }],
  ])('%j -> %j', (header, expected) => {
    for (const [name, value] of Object.entries(expected)) expect(readCookie(header, name)).toBe(value);
    expect(readCookie(header, 'absent')).toBeUndefined();
    expect(readCookie(header, '')).toBeUndefined();
  });
});

describe('readCookie: names that are also object properties', () => {
  it.each([
    ['a=1', 'constructor', undefined],
    ['a=1', 'toString', undefined],
    ['a=1', '__proto__', undefined],
    ['__proto__=x; a=1', '__proto__', 'x'],
    ['__proto__=x; a=1', 'a', '1'],
  ])('%j, reading %j -> %j', (header, name, expected) => {
    expect(readCookie(header, name)).toBe(expected);
  });
});

describe('serializeCookie', () => {
  it.each([
    [{ httpOnly: true, sameSite: 'Lax', path: '/' }, 'n=v; Path=/; HttpOnly; SameSite=Lax'],
    [{ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 3600 }, 'n=v; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax'],
    [{ httpOnly: true, sameSite: 'Lax', path: '/', secure: true }, 'n=v; Path=/; HttpOnly; Secure; SameSite=Lax'],
    [
      { httpOnly: false, sameSite: 'Lax', path: '/', expires: new Date(0) },
      'n=v; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax',
    ],
  ] as const)('%j', (opts, expected) => {
    expect(serializeCookie('n', 'v', opts)).toBe(expected);
  });

  it.each([
    ['bad name', 'v'],
    ['n;', 'v'],
    ['', 'v'],
    ['n', 'a;b'],
    ['n', 'a b'],
    ['n', 'a\r\nSet-Cookie: x=1'],
    ['n', '"q"'],
  ])('refuses name %j / value %j', (name, value) => {
    expect(() => serializeCookie(name, value, { httpOnly: true, sameSite: 'Lax', path: '/' })).toThrow(/invalid/);
  });

  it('expires a cookie', () => {
    expect(expiredCookie('_portcullis_4180')).toBe('_portcullis_4180=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax');
  });
});

describe('removeCookies', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['_portcullis_4180=abc', undefined],
    ['a=1; _portcullis_4180=abc; b="two"', 'a=1; b="two"'],
    ['_portcullis_4180=abc; a=1', 'a=1'],
    ['a=1;_portcullis_4180=abc;b=2', 'a=1;b=2'],
    ['a= spaced ; _portcullis_4181_csrf=x', 'a= spaced '],
    ['a=1; _portcullis_4180=x; _portcullis_9999=y; _portcullis_4180_csrf=z; z=%20', 'a=1; z=%20'],
    ['  _portcullis_4180 =x; keep=1', 'keep=1'],
    ['flag; _portcullis_4180=x', 'flag'],
  ])('%j -> %j', (header, expected) => {
    expect(removeCookies(header, isPortcullisCookie)).toBe(expected);
  });
});
