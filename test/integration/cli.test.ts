// The command line as a user meets it: what `serve` prints, and `check` on good and bad configs.
// `check` and `export` run as their own short-lived processes, as a user types them.
import { describe, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from '../support/fixture.ts';
import { buildConfig, runCli } from '../support/serve.ts';

test.override('setup', { scope: 'file' }, { upstreams: [{ id: 'app' }, { id: 'second' }] });

describe('portcullis serve', () => {
  // Started under the hook timeout, not the first test's.
  test.beforeAll(({ portcullis: _started }) => {});

  test.for(['app', 'second'])('prints the listener line for upstream %s', (id, { portcullis: pc, echo }) => {
    const line = `upstream ${id}  http://localhost:${pc.ports.upstreams[id]} -> ${echo.url}  (provider builtin)`;
    expect(pc.stdout().split('\n')).toContain(line);
  });

  test('prints the console URL with its token, then "portcullis ready" last', ({ portcullis: pc }) => {
    const lines = pc.stdout().split('\n').filter(Boolean);
    const consoleLine = lines.find((l) => l.startsWith('console '));
    expect(consoleLine).toMatch(new RegExp(`^console http://127\\.0\\.0\\.1:${pc.ports.console}/\\?token=[^\\s&]{16,}$`));
    expect(lines.indexOf('portcullis ready')).toBeGreaterThan(lines.indexOf(consoleLine!));
    for (const id of ['app', 'second']) {
      expect(lines.findIndex((l) => l.startsWith(`upstream ${id} `))).toBeLessThan(lines.indexOf('portcullis ready'));
    }
  });

  test('prints nothing on stderr for a clean start: no runtime warning the user cannot act on', ({ portcullis: pc }) => {
    // oidc-provider prints "Unsupported runtime" on Node 20 at import; the README says what the runtime version means.
    expect(pc.stderr()).not.toMatch(/Unsupported runtime/);
    expect(pc.stderr().trim()).toBe('');
  });

  test('exits 0 on SIGINT', async ({ portcullis: pc }) => {
    expect(await pc.stop('SIGINT')).toBe(0);
  });
});

describe('portcullis check --config', () => {

  test('exits 0 for a valid config', async ({ home }) => {
    const { config } = await buildConfig({ upstreams: [{ id: 'app', target: 'http://127.0.0.1:8501' }] });
    const file = join(home, 'good.json');
    await writeFile(file, JSON.stringify(config, null, 2));
    const result = await runCli(['check', '--config', file], home);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  test('prints the warnings of a valid config and still exits 0', async ({ home }) => {
    const { config } = await buildConfig({ upstreams: [{ id: 'lan', target: 'http://127.0.0.1:8501', listen: { host: '0.0.0.0', port: 0 }, allowNonLoopback: true }] });
    const file = join(home, 'warned.json');
    await writeFile(file, JSON.stringify(config, null, 2));
    const result = await runCli(['check', '--config', file], home);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: upstream lan listens on 0.0.0.0: reachable from other machines');
  });

  test('exits 2 listing every problem by JSON path and leaves the file unchanged', async ({ home }) => {
    const { config } = await buildConfig({
      upstreams: [
        { id: 'a', target: 'http://127.0.0.1:8501' },
        { id: 'b', target: 'not a url' },
        { id: 'c', target: 'http://127.0.0.1:8502', provider: 'nope' },
        { id: 'd', target: 'http://127.0.0.1:8503' },
      ],
    });
    (config.upstreams[0] as unknown as Record<string, unknown>).bogusKey = true;
    config.upstreams[3].listen.port = config.upstreams[0].listen.port;
    const file = join(home, 'bad.json');
    const text = JSON.stringify(config, null, 2);
    await writeFile(file, text);

    const result = await runCli(['check', '--config', file], home);
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(2);
    const lines = output.split('\n');
    const problems: [string, RegExp][] = [
      ['unknown key', /\$\.upstreams\[0\].*bogusKey|bogusKey.*\$\.upstreams\[0\]/],
      ['bad URL', /\$\.upstreams\[1\]\.target/],
      ['unknown provider', /\$\.upstreams\[2\]\.provider/],
      ['duplicate port', /\$\.upstreams\[[03]\]\.listen\.port/],
    ];
    for (const [what, pattern] of problems) {
      expect(lines.some((line) => pattern.test(line)), `${what} not reported:\n${output}`).toBe(true);
    }
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  test('exits 2 with a clear message for a file that is not JSON', async ({ home }) => {
    const file = join(home, 'broken.json');
    await writeFile(file, '{ "upstreams": [');
    const result = await runCli(['check', '--config', file], home);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/broken\.json|JSON/i);
    expect(await readFile(file, 'utf8')).toBe('{ "upstreams": [');
  });
});

describe('portcullis export', () => {

  test('prints the default upstream\'s oauth2-proxy config without writing a settings file', async ({ home }) => {
    const dataDir = join(home, 'untouched');
    const result = await runCli(['export', '--upstream', 'app', '--format', 'oauth2-proxy', '--data-dir', dataDir], home);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('http://127.0.0.1:8501');
    expect(existsSync(dataDir)).toBe(false);
  });

  test('exits 2 naming the upstreams there are when the id is unknown', async ({ home }) => {
    const result = await runCli(['export', '--upstream', 'nope', '--format', 'nginx', '--data-dir', join(home, 'untouched')], home);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no upstream with id "nope"; defined: app');
  });
});
