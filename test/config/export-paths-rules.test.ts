// Exporting an upstream with paths and rules: oauth2-proxy upstreams per path, per-location checks
// in nginx (accepted by a real `nginx -t`), Caddy, HAProxy and Traefik, and everything a format
// cannot express named in a comment (which the CLI repeats on stderr).
import { describe, expect, it } from 'vitest';
import { exportUpstream } from '../../electron/engine/config/export.ts';
import { exportNotes } from '../../electron/engine/config/export-routing.ts';
import { withUpstreamDefaults } from '../../electron/engine/config/defaults.ts';
import type { PortcullisConfig } from '../../electron/engine/config/types.ts';
import { importConfig } from '../../electron/engine/config/import.ts';
import { testNginxConf } from '../support/nginx.ts';
import { SHOP_PATHS, SHOP_RULES, SHOP_SETTINGS } from '../support/rules-table.ts';

const shop = {
  ...withUpstreamDefaults({ id: 'shop', listen: { host: '127.0.0.1', port: 4181 }, target: 'http://127.0.0.1:5173', ...SHOP_SETTINGS }),
  paths: [...SHOP_PATHS('http://127.0.0.1:5000'), { path: '/media/', target: 'http://127.0.0.1:9000', stripPrefix: true }],
  rules: SHOP_RULES,
};
const config = { upstreams: [shop], providers: [{ id: 'builtin', type: 'builtin' }], builtinIdp: { port: 4190, users: [] } } as unknown as PortcullisConfig;

describe('export with paths and rules', () => {
  it('oauth2-proxy: one upstream URL per path, public and api rules as routes, the rest named', () => {
    const out = exportUpstream(config, 'shop', 'oauth2-proxy');
    expect(out).toContain('upstreams = [ "http://127.0.0.1:5000/app/api/", "http://127.0.0.1:9000/media/", "http://127.0.0.1:5173/" ]');
    expect(out).toContain('skip_auth_routes = [ "GET=^/healthz$", "^/app/api/no_auth$" ]');
    expect(out).toContain('api_routes = [ "^/v2/", "^/app/api/admin/", "^/app/api/" ]');
    const notes = exportNotes(out);
    expect(notes).toContainEqual(expect.stringMatching(/^cannot express: path \/media\/: stripPrefix/));
    expect(notes).toContainEqual(expect.stringMatching(/^cannot express: rule admin \(\^\/app\/api\/admin\/\): oauth2-proxy has no per-path groups/));
  });

  it('nginx: a location per rule, in order, asking for its groups; a location per path; `nginx -t` accepts it', async () => {
    const out = exportUpstream(config, 'shop', 'nginx');
    const admin = out.indexOf('location ~ "^/app/api/admin/" {');
    const api = out.indexOf('location ~ "^/app/api/" {');
    expect(admin).toBeGreaterThan(0);
    expect(api).toBeGreaterThan(admin);
    expect(out).toContain('location ~ "^/app/api/no_auth$" {');
    expect(out).toContain('location ~* "^/reports/" {');
    const adminBlock = out.slice(admin, out.indexOf('location', admin + 1));
    expect(adminBlock).toContain('set $portcullis_allowed_groups "admins";');
    expect(adminBlock).not.toContain('error_page 401');
    expect(out).toContain('proxy_set_header X-Auth-Request-Allowed-Groups $portcullis_allowed_groups;');
    expect(out).toContain('location /media/ {');
    expect(out).toContain('proxy_pass http://shop_path_1/;');
    expect(exportNotes(out)).toContainEqual(expect.stringContaining('rule admin: nginx locations do not match methods'));
    expect(exportNotes(out)).toContainEqual(expect.stringContaining('rule ops: auth_request cannot pass allowed_emails'));
    const checked = await testNginxConf(out);
    expect(checked.output).toMatch(/syntax is ok/);
    expect(checked.code).toBe(0);
  });

  it.each(['caddy', 'haproxy', 'traefik'] as const)('%s: every rule and path appears or is named as not expressible', (format) => {
    const out = exportUpstream(config, 'shop', format);
    for (const rule of SHOP_RULES) expect(out).toContain(rule.id);
    expect(out).toContain('127.0.0.1:5000');
    expect(out).toContain('127.0.0.1:9000');
  });
});

describe('import of oauth2-proxy upstreams with paths', () => {
  it.each([
    ['cfg', 'upstreams = [ "http://127.0.0.1:5000/app/api/", "http://127.0.0.1:5173/" ]\n', 'a.cfg'],
    ['env', 'OAUTH2_PROXY_UPSTREAMS=http://127.0.0.1:5000/app/api/,http://127.0.0.1:5173/\n', 'a.env'],
  ])('%s: the `/` upstream is the target, the others become paths', (_kind, text, file) => {
    const { config: imported } = importConfig(text, file);
    expect(imported.upstreams[0]).toMatchObject({ target: 'http://127.0.0.1:5173', paths: [{ path: '/app/api/', target: 'http://127.0.0.1:5000' }] });
  });

  it('without a `/` upstream, the first one is the target and the change is said', () => {
    const { config: imported, warnings } = importConfig('upstreams = [ "http://127.0.0.1:5000/api/", "http://127.0.0.1:9000/media/" ]\n', 'a.cfg');
    expect(imported.upstreams[0]).toMatchObject({ target: 'http://127.0.0.1:5000', paths: [{ path: '/media/', target: 'http://127.0.0.1:9000' }] });
    expect(warnings).toContainEqual(expect.stringContaining('no upstream serves "/"'));
  });
});
