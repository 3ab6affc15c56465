// Which Host headers a listener answers to (DNS rebinding): the loopback names with its port,
// and on a listener opened to other machines the names it is reached by there.
import { describe, expect, it } from 'vitest';
import { answersToHost } from '../../electron/engine/proxy/listener-host.ts';

const loopback = { listen: { host: '127.0.0.1', port: 4180 } };
const onLan = { listen: { host: '192.168.1.20', port: 4180 }, allowNonLoopback: true };
const everywhere = { listen: { host: '0.0.0.0', port: 4180 }, allowNonLoopback: true };
// A front proxy named in the settings may pass its own Host on (HAProxy, Traefik do).
const fronted = { ...loopback, redirectOrigins: ['http://127.0.0.1:8080', 'https://app.test'] };

describe('answersToHost', () => {
  it.each([
    ['localhost:4180', loopback, true],
    ['127.0.0.1:4180', loopback, true],
    ['[::1]:4180', loopback, true],
    ['LOCALHOST:4180', loopback, true],
    ['rebind.attacker.example:4180', loopback, false],
    ['localhost.attacker.example:4180', loopback, false],
    ['127.0.0.1.nip.io:4180', loopback, false],
    ['localhost:4181', loopback, false],
    ['localhost', loopback, false],
    ['127.0.0.1:4180@evil.example', loopback, false],
    ['', loopback, false],
    [undefined, loopback, false],
    ['192.168.1.20:4180', loopback, false],
    ['192.168.1.20:4180', onLan, true],
    ['localhost:4180', onLan, true],
    ['rebind.attacker.example:4180', onLan, false],
    ['192.168.1.21:4180', onLan, false],
    ['devbox.lan:4180', everywhere, true],
    ['devbox.lan:4181', everywhere, false],
    ['127.0.0.1:8080', fronted, true],
    ['app.test', fronted, true],
    ['APP.TEST', fronted, true],
    ['127.0.0.1:8081', fronted, false],
    ['app.test:443', fronted, false],
    ['rebind.attacker.example:8080', fronted, false],
    ['127.0.0.1:8080', loopback, false],
  ] as const)('%j on %j → %s', (host, upstream, expected) => {
    expect(answersToHost(host, 4180, upstream)).toBe(expected);
  });

  it('accepts a name without a port only on port 80, as browsers leave it out there', () => {
    expect(answersToHost('localhost', 80, { listen: { host: '127.0.0.1', port: 80 } })).toBe(true);
    expect(answersToHost('127.0.0.1', 4180, loopback)).toBe(false);
  });
});
