// The preload as it ships: bundled by scripts/build-electron.mjs, then run the way the sandbox
// runs it — with a `require` that knows only 'electron' (here, the fake). It must expose
// exactly the listed calls and a subscription as `window.portcullis`, never ipcRenderer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeElectron } from './fake-electron.ts';
import { METHODS } from '../../electron/desktop/channels.ts';

const outdir = mkdtempSync(join(tmpdir(), 'portcullis-build-'));
const build = spawnSync(process.execPath, ['scripts/build-electron.mjs', '--outdir', outdir], { encoding: 'utf8' });
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const electron = createFakeElectron();
const required: string[] = [];
function sandboxRequire(name: string): unknown {
  required.push(name);
  if (name !== 'electron') throw new Error(`module not found: ${name}`);
  return electron;
}
const preloadModule = { exports: {} };
new Function('require', 'module', 'exports', readFileSync(join(outdir, 'preload.cjs'), 'utf8'))(sandboxRequire, preloadModule, preloadModule.exports);
const api = electron.contextBridge.exposed.get('portcullis') as Record<string, (...args: unknown[]) => any>;

describe('the build', () => {
  it('bundles the main process and the preload', () => {
    expect(build.status, build.stderr).toBe(0);
    expect(existsSync(join(outdir, 'main.js'))).toBe(true);
  });

  it('the preload needs nothing but electron (the sandbox allows nothing else)', () => {
    expect(required).toEqual(['electron']);
    expect(readFileSync(join(outdir, 'preload.cjs'), 'utf8').match(/require\("[^"]+"\)/g)).toEqual(['require("electron")']);
  });

  it('the main bundle leaves electron and the runtime dependencies outside', () => {
    const main = readFileSync(join(outdir, 'main.js'), 'utf8');
    expect(main).toMatch(/from "electron"/);
    expect(main).toMatch(/from "openid-client"/);
    expect(main).not.toMatch(/from "electron-store"/);
  });

  it("the built-in provider's thread is bundled beside main.js, oidc-provider left outside", () => {
    const worker = readFileSync(join(outdir, 'idp-worker.js'), 'utf8');
    expect(worker).toMatch(/(?:from |import\()"oidc-provider"/);
  });
});

describe('window.portcullis', () => {
  it('is the only thing exposed, with exactly the ControlApi calls', () => {
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['portcullis']);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(METHODS), 'subscribe'].sort());
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });

  it('calls go to their own channel with their arguments', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: 'http://localhost:4180/oauth2/start' });
    await expect(api.signInUrl('app', 'bob')).resolves.toBe('http://localhost:4180/oauth2/start');
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('portcullis:signInUrl', 'app', 'bob');
  });

  it('errors arrive as errors naming the bad field', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'invalid_config', message: 'port out of range', path: '$.listen.port' } });
    await expect(api.addUpstream({})).rejects.toThrow('port out of range ($.listen.port)');
  });

  it('subscribe delivers engine events without the IPC event object, and unsubscribes', () => {
    const seen: unknown[] = [];
    const stop = api.subscribe((e: unknown) => seen.push(e));
    electron.ipcRenderer.emit('portcullis:event', { sender: 'secret' }, { type: 'session-ended', sessionId: 's1' });
    stop();
    electron.ipcRenderer.emit('portcullis:event', {}, { type: 'session-ended', sessionId: 's2' });
    expect(seen).toEqual([{ type: 'session-ended', sessionId: 's1' }]);
  });
});
