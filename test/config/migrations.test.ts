// migrateConfig: older settings shapes come up to the current version; nothing else changes.
import { describe, expect, it } from 'vitest';
import { CURRENT_CONFIG_VERSION } from '../../electron/engine/config/version.ts';
import { migrateConfig } from '../../electron/engine/config/migrations.ts';
import { validateConfig } from '../../electron/engine/config/validate.ts';

const legacy = (listen: unknown) => ({ upstreams: [{ id: 'a', listen, target: 'http://127.0.0.1:3000' }], providers: [{ id: 'builtin', type: 'builtin' }] });

describe('v0 (no version) → v1: listen addresses', () => {
  it.each<[string, unknown, unknown]>([
    ['a bare port', 4180, { host: '127.0.0.1', port: 4180 }],
    ['host:port', '127.0.0.1:4181', { host: '127.0.0.1', port: 4181 }],
    [':port', ':4182', { host: '127.0.0.1', port: 4182 }],
    ['a port string', '4183', { host: '127.0.0.1', port: 4183 }],
    ['[ipv6]:port', '[::1]:4184', { host: '::1', port: 4184 }],
    ['already an object', { host: 'localhost', port: 4185 }, { host: 'localhost', port: 4185 }],
    ['garbage stays for validation to report', 'not-an-address', 'not-an-address'],
  ])('%s', (_name, listen, expected) => {
    const migrated = migrateConfig(legacy(listen));
    expect(migrated.version).toBe(CURRENT_CONFIG_VERSION);
    expect(migrated.upstreams[0].listen).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = legacy(4180);
    migrateConfig(input);
    expect(input.upstreams[0].listen).toBe(4180);
    expect(input).not.toHaveProperty('version');
  });

  it('leaves current, newer and non-object inputs alone', () => {
    const current = { version: CURRENT_CONFIG_VERSION, upstreams: [], providers: [] };
    expect(migrateConfig(current)).toBe(current);
    const newer = { version: 99, upstreams: [] };
    expect(migrateConfig(newer)).toBe(newer);
    expect(migrateConfig('text')).toBe('text');
    expect(migrateConfig(null)).toBe(null);
  });

  it('a migrated legacy file validates', () => {
    const { config, problems } = validateConfig(legacy('0.0.0.0:4180'));
    expect(config).toBeUndefined();
    expect(problems).toEqual([{ path: '$.upstreams[0].listen.host', message: expect.stringMatching(/allowNonLoopback/) }]);
    expect(validateConfig(legacy(4180)).config?.upstreams[0].listen).toEqual({ host: '127.0.0.1', port: 4180 });
  });
});
