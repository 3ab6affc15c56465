// The `portcullis` command as shipped: the split bundle that `npm install` builds into dist/.
// What the engine loads on first use (the WebSocket relay, import and export) lives in chunks
// of that bundle, and only a run of the bundle itself shows that each chunk loads and works.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { startProcess, type Started } from '../support/processes.ts';
import { REPO_ROOT } from '../support/serve.ts';
import { openWebSocket, startWsEcho, type WsEchoTarget } from '../support/websocket.ts';

const run = promisify(execFile);

describe('the command bundle', () => {
  let dir: string;
  let cli: string;
  let configFile: string;
  let echo: WsEchoTarget;
  let serve: Started;
  let port: number;
  let idpPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portcullis-bundle-'));
    await run(process.execPath, [join(REPO_ROOT, 'scripts/build-cli.mjs'), '--outdir', join(dir, 'dist')], { cwd: REPO_ROOT });
    cli = join(dir, 'dist', 'cli.js');
    echo = await startWsEcho();
    port = await freePort();
    configFile = join(dir, 'portcullis.json');
    await writeFile(configFile, JSON.stringify({
      upstreams: [{ id: 'ws', listen: { host: '127.0.0.1', port }, target: echo.url, provider: 'builtin', emailDomains: ['*'], skipAuthRoutes: ['^/open/'] }],
      providers: [{ id: 'builtin', type: 'builtin' }],
      builtinIdp: { port: (idpPort = await freePort()) },
    }));
    serve = await startProcess(process.execPath, [cli, 'serve', '--config', configFile, '--data-dir', join(dir, 'data'), '--console-port', String(await freePort())], {
      readyLine: /^portcullis ready$/m,
    });
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    await echo?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('relays a WebSocket through the relay it loads at the first upgrade', async () => {
    const ws = await openWebSocket(`ws://127.0.0.1:${port}/open/stream`, '');
    expect(await ws.echo('hello through the bundle')).toBe('hello through the bundle');
    ws.socket.destroy();
  });

  it('exports an upstream with the writers it loads on first use', async () => {
    const { stdout } = await run(process.execPath, [cli, 'export', '--config', configFile, '--format', 'nginx', '--upstream', 'ws']);
    expect(stdout).toContain('auth_request /oauth2/auth;');
  });

  it('imports an oauth2-proxy config with the parsers it loads on first use', async () => {
    const cfg = join(dir, 'oauth2-proxy.cfg');
    await writeFile(cfg, 'http_address = "127.0.0.1:4180"\nupstreams = [ "http://127.0.0.1:8501/" ]\nprovider = "oidc"\noidc_issuer_url = "http://127.0.0.1:9000"\nclient_id = "app"\nemail_domains = [ "*" ]\n');
    const { stdout } = await run(process.execPath, [cli, 'import', cfg]);
    expect(JSON.parse(stdout).upstreams[0].target).toBe('http://127.0.0.1:8501');
  });

  it("words the built-in provider's errors without loading ICU's list formatter", async () => {
    const chunks = (await readdir(join(dir, 'dist'))).filter((f) => f.endsWith('.js'));
    const withListFormat = [];
    for (const chunk of chunks) if ((await readFile(join(dir, 'dist', chunk), 'utf8')).includes('Intl.ListFormat')) withListFormat.push(chunk);
    expect(withListFormat).toEqual([]);
    // oidc-provider lists the missing parameters with the swapped-in formatter.
    const res = await fetch(`http://127.0.0.1:${idpPort}/auth?client_id=portcullis`);
    const page = await res.text();
    expect(page).toContain('missing required parameter &#39;response_type&#39;');
  });
});
