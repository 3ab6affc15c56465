// Which Host headers the sign-in's callback URL may be built on: the browser must come back to
// the host it started on (its CSRF cookie is per host), but a Host header is the client's word.
import { describe, expect, it } from 'vitest';
import { callbackUrlFor } from '../../electron/engine/auth/callback-url.ts';

const loopback = { listen: { host: '127.0.0.1', port: 4180 } };
const lan = { listen: { host: '192.168.1.20', port: 4180 }, allowNonLoopback: true };
const everywhere = { listen: { host: '0.0.0.0', port: 4180 }, allowNonLoopback: true };
const fallback = 'http://localhost:4180/oauth2/callback';

describe('callback URL', () => {
  it.each([
    ['loopback listener, localhost', loopback, 'localhost:4180', 'http://localhost:4180/oauth2/callback'],
    ['loopback listener, 127.0.0.1', loopback, '127.0.0.1:4180', 'http://127.0.0.1:4180/oauth2/callback'],
    ['loopback listener, no Host', loopback, undefined, fallback],
    ['loopback listener, another port', loopback, 'localhost:9999', fallback],
    ['loopback listener, a foreign name', loopback, 'evil.test:4180', fallback],
    ['loopback listener, its LAN name without allowNonLoopback', { listen: { host: '192.168.1.20', port: 4180 } }, '192.168.1.20:4180', fallback],
    ['LAN listener, its address', lan, '192.168.1.20:4180', 'http://192.168.1.20:4180/oauth2/callback'],
    ['LAN listener, another address', lan, '192.168.1.21:4180', fallback],
    ['LAN listener, its address on another port', lan, '192.168.1.20:80', fallback],
    ['LAN listener, no port', lan, '192.168.1.20', fallback],
    ['wildcard listener, a host name', everywhere, 'devbox.lan:4180', 'http://devbox.lan:4180/oauth2/callback'],
    ['wildcard listener, an IPv6 address', { listen: { host: '::', port: 4180 }, allowNonLoopback: true }, '[fd00::5]:4180', 'http://[fd00::5]:4180/oauth2/callback'],
    ['wildcard listener, userinfo trick', everywhere, 'evil.test@devbox.lan:4180', fallback],
    ['wildcard listener, a path smuggled in', everywhere, 'devbox.lan:4180/x', fallback],
    ['wildcard listener, a re-spelt address', everywhere, '0x7f.1:4180', fallback],
    ['wildcard listener, upper case', everywhere, 'DEVBOX.lan:4180', 'http://DEVBOX.lan:4180/oauth2/callback'],
    ['wildcard listener, whitespace', everywhere, 'devbox.lan :4180', fallback],
  ])('%s: Host %s', (_case, upstream, host, expected) => {
    expect(callbackUrlFor(host, 4180, upstream)).toBe(expected);
  });
});
