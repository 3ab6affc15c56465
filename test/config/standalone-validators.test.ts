// The bundle checks settings and request bodies with Ajv standalone code generated at build
// time; running from sources compiles the same schemas at load. Both must refuse the same
// inputs with the same errors, or a user would see different messages from `npm start` and
// from a checkout being edited.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { standaloneValidators } from '../../scripts/standalone-validators.mjs';
import configValidators from '../../electron/engine/config/config-validators.ts';
import apiValidators from '../../electron/engine/api-validators.ts';
import { validateConfig } from '../../electron/engine/config/validate.ts';

const dir = mkdtempSync(join(tmpdir(), 'portcullis-standalone-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The standalone module for a validators file, loaded from a temporary file. */
async function loadStandalone(file: string): Promise<Record<string, ValidateFunction>> {
  // The temporary file sits outside the project and outside a bundle: Ajv's runtime helpers are
  // required from here, as a bundle would have them bundled.
  const source = `import { createRequire } from 'node:module';\nconst require = createRequire(${JSON.stringify(import.meta.url)});\n${await standaloneValidators(file)}`;
  const out = join(dir, `${file.replace(/\W+/g, '_')}.mjs`);
  writeFileSync(out, source);
  return (await import(pathToFileURL(out).href)).default;
}

// As JSON: the errors carry the schema they failed (for the messages validate.ts writes), which
// the sources hold as TypeBox objects and the standalone code as plain JSON.
const errorsOf = (validate: ValidateFunction, data: unknown) => JSON.parse(JSON.stringify(validate(data) ? [] : validate.errors));

const upstream = { id: 'app', listen: { host: '127.0.0.1', port: 4180 }, target: 'http://127.0.0.1:8501' };
const settings = (patch: object) => ({ upstreams: [upstream], providers: [{ id: 'builtin', type: 'builtin' }], ...patch });

const badSettings: Array<[string, unknown]> = [
  ['a valid config', settings({})],
  ['an unknown top-level key', settings({ upstream: [] })],
  ['a port out of range', settings({ upstreams: [{ ...upstream, listen: { host: '127.0.0.1', port: 70000 } }] })],
  ['a provider of an unknown type', settings({ providers: [{ id: 'x', type: 'saml' }] })],
  ['an oidc provider without an issuer', settings({ providers: [{ id: 'o', type: 'oidc', clientId: 'c' }] })],
  ['a secret with two forms', settings({ providers: [{ id: 'o', type: 'oidc', issuer: 'https://i.test', clientId: 'c', clientSecret: { env: 'A', secretRef: 'b' } }] })],
  ['a name that is too long (counted in characters, not UTF-16 units)', settings({ upstreams: [{ ...upstream, name: '😀'.repeat(201) }] })],
  ['a persona with a bad username', settings({ builtinIdp: { users: [{ username: ' alice', email: 'a@b.test' }] } })],
];

describe('standalone settings validator', async () => {
  const standalone = await loadStandalone(join(import.meta.dirname, '../../electron/engine/config/config-validators.ts'));
  it.each(badSettings)('%s: same errors as the runtime-compiled one', (_name, data) => {
    expect(errorsOf(standalone.config, data)).toEqual(errorsOf(configValidators.config, data));
  });
  it('a 200-character name of emoji is accepted, 201 is not', () => {
    expect(validateConfig(settings({ upstreams: [{ ...upstream, name: '😀'.repeat(200) }] })).problems).toEqual([]);
    expect(standalone.config(settings({ upstreams: [{ ...upstream, name: '😀'.repeat(200) }] }))).toBe(true);
    expect(validateConfig(badSettings[6][1]).problems).toEqual([{ path: '$.upstreams[0].name', message: 'must NOT have more than 200 characters' }]);
  });
});

const badBodies: Array<[string, string, unknown]> = [
  ['upstream', 'an unknown field', { ...upstream, extra: 1 }],
  ['oidcProvider', 'a client id that is not a string', { id: 'o', type: 'oidc', issuer: 'https://i.test', clientId: 5 }],
  ['githubProvider', 'a secret kept in the store', { id: 'g', type: 'github', clientId: 'c', clientSecretValue: 's' }],
  ['personas', 'a persona without groups', { users: [{ username: 'a', email: 'a@b.test', name: 'A' }] }],
  ['serviceClients', 'a secret from the store by reference', { clients: [{ clientId: 'job', clientSecret: { secretRef: 'x' } }] }],
  ['checkPort', 'port 0', { host: '127.0.0.1', port: 0 }],
  ['checkRoute', 'a method with a space', { upstreamId: 'app', method: 'G ET', path: '/' }],
];

describe('standalone request-body validators', async () => {
  const standalone = await loadStandalone(join(import.meta.dirname, '../../electron/engine/api-validators.ts'));
  it('has every validator the sources have', () => {
    expect(Object.keys(standalone).sort()).toEqual(Object.keys(apiValidators).sort());
  });
  it.each(badBodies)('%s with %s: same errors as the runtime-compiled one', (name, _what, body) => {
    const key = name as keyof typeof apiValidators;
    expect(errorsOf(standalone[key], body)).toEqual(errorsOf(apiValidators[key], body));
  });
});
