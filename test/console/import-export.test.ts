// POST /api/v1/import and GET /api/v1/upstreams/:id/export over HTTP: the import is a preview
// that changes nothing, the export is the text `portcullis export` prints, and bad input is
// refused with the JSON path of what was wrong. A front origin in redirectOrigins shows up as a
// redirect URL to register.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/serve.ts';
import { startTestConsole, type TestConsole } from '../support/engine.ts';

const run = promisify(execFile);
let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole();
});
afterAll(() => t?.close());

describe('POST /api/v1/import', () => {
  it('answers the config and the warnings without applying anything', async () => {
    const before = await t.savedConfig();
    const res = await t.call('POST', '/api/v1/import', { body: { text: 'upstreams = [ "http://127.0.0.1:5000" ]\nclient_secret = "s3cret-value"\nfoo_bar = true\n' } });
    expect(res.status).toBe(200);
    const body = res.json<{ config: { upstreams: Array<{ target: string }> }; warnings: string[] }>();
    expect(body.config.upstreams[0].target).toBe('http://127.0.0.1:5000');
    expect(body.warnings).toContainEqual(expect.stringMatching(/foo_bar: not imported/));
    expect(res.text).not.toContain('s3cret-value');
    expect(await t.savedConfig()).toEqual(before);
  });

  it('takes the format when the text alone would be read otherwise', async () => {
    const res = await t.call('POST', '/api/v1/import', { body: { text: 'services:\n  app:\n    image: acme/app\n    ports: ["5000:5000"]\n  oauth2-proxy:\n    image: quay.io/oauth2-proxy/oauth2-proxy\n', format: 'compose' } });
    expect(res.status).toBe(200);
    expect(res.json().config.upstreams[0].target).toBe('http://127.0.0.1:5000');
  });

  it.each([
    ['no text', {}, 'missing_field', '$.text'],
    ['an unknown format', { text: 'x = 1', format: 'ini' }, 'invalid_body', '$.format'],
    ['an unknown field', { text: 'x = 1', apply: true }, 'unknown_field', '$.apply'],
    ['text that is not a string', { text: ['a'] }, 'invalid_body', '$.text'],
    ['an unreadable file', { text: 'upstreams = [ "http://a"\nprovider = oidc', format: 'cfg' }, 'unreadable_import', undefined],
  ])('refuses %s with a 400 naming it', async (_case, body, code, path) => {
    const res = await t.call('POST', '/api/v1/import', { body });
    expect(res.status).toBe(400);
    expect(res.json().error).toMatchObject({ code, ...(path ? { path } : {}) });
  });
});

describe('GET /api/v1/upstreams/:id/export', () => {
  it('answers, for every format, the text the export command prints, and what differs from production', async () => {
    const formats = ['oauth2-proxy', 'nginx', 'caddy', 'haproxy', 'traefik'];
    const printed = await Promise.all(
      formats.map((format) => run(process.execPath, [join(REPO_ROOT, 'bin/portcullis.js'), 'export', '--upstream', 'app', '--format', format, '--config', t.configFile])),
    );
    for (const [i, format] of formats.entries()) {
      const res = await t.call('GET', `/api/v1/upstreams/app/export?format=${format}`);
      expect(res.status).toBe(200);
      const body = res.json<{ format: string; text: string; notes: string[] }>();
      expect(body.text).toBe(printed[i].stdout.replace(/\n$/, ''));
      expect(body.notes.join('\n')).toMatch(/TLS: .*Cookie domain: .*Identity provider:/s);
    }
  }, 120_000);

  it.each([
    ['no format', 'upstreams/app/export', 400, '?format'],
    ['an unknown format', 'upstreams/app/export?format=apache', 400, '?format'],
    ['an unknown upstream', 'upstreams/nope/export?format=nginx', 404, '$.id'],
  ])('refuses %s', async (_case, path, status, errorPath) => {
    const res = await t.call('GET', `/api/v1/${path}`);
    expect(res.status).toBe(status);
    expect(res.json().error.path).toBe(errorPath);
  });
});

describe('a front proxy origin', () => {
  it('is listed among the redirect URLs to register, beside the listener\'s', async () => {
    const state = await t.engine.getState();
    const { status: _status, ...app } = state.upstreams.find((u) => u.id === 'app')!;
    await t.engine.updateUpstream('app', { ...app, redirectOrigins: ['http://127.0.0.1:8080'] });
    const res = await t.call('GET', '/api/v1/state');
    const builtin = res.json().providers.find((p: { id: string }) => p.id === 'builtin');
    expect(builtin.status.redirectUrls).toEqual([`http://localhost:${t.appPort}/oauth2/callback`, 'http://127.0.0.1:8080/oauth2/callback']);
    await t.engine.updateUpstream('app', { ...app, redirectOrigins: [] });
  });
});
