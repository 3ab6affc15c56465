// The bridge: the main process answers only our page, checks argument shapes, keeps the
// engine's error codes, forwards events; the preload exposes exactly the listed calls.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import { join } from 'node:path';
import { FakeWebContents } from './fake-electron.ts';
import { KeychainSecretStore } from '../../electron/desktop/secrets.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { DESKTOP_ENGINE } from './desktop-engine.ts';
import { argumentProblem, forwardEvents, registerIpc } from '../../electron/desktop/ipc.ts';
import { METHODS, type Reply } from '../../electron/desktop/channels.ts';

let running: TestEngine;
let unregister: () => void;
const logged: string[] = [];

beforeAll(async () => {
  running = await startTestEngine(DESKTOP_ENGINE);
  unregister = registerIpc(running.engine, (line) => logged.push(line));
});
afterAll(async () => {
  unregister();
  await running.close();
});

const ours = { senderFrame: { url: 'portcullis://app/index.html' } };
function invoke(method: string, event: unknown, ...args: unknown[]): Promise<Reply> {
  const handler = electron.ipcMain.handlers.get(`portcullis:${method}`);
  if (!handler) throw new Error(`no handler for ${method}`);
  return handler(event, ...args) as Promise<Reply>;
}

describe('channels', () => {
  it('one handler per listed call, nothing else', () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(Object.keys(METHODS).map((m) => `portcullis:${m}`).sort());
  });

  it('every channel is a call the engine answers', () => {
    for (const method of Object.keys(METHODS)) expect(typeof (running.engine as unknown as Record<string, unknown>)[method], method).toBe('function');
  });
});

describe('our page', () => {
  it('gets the engine state', async () => {
    const reply = await invoke('getState', ours);
    expect(reply.ok).toBe(true);
    expect((reply as { value: { upstreams: Array<{ id: string }> } }).value.upstreams.map((u) => u.id)).toEqual(['app']);
  });

  it('drives the engine', async () => {
    expect((await invoke('setSimulation', ours, 'app', { groups: ['devs'] })).ok).toBe(true);
    expect((await running.engine.getState()).upstreams[0].status.simulation).toEqual({ groups: ['devs'] });
    expect((await invoke('endSimulation', ours, 'app')).ok).toBe(true);
  });

  it.each([
    ['a provider whose secret is not a string', 'saveProvider', [{ id: 'corp', type: 'oidc', issuer: 'https://idp.example.test', clientId: 'c', clientSecretValue: 42 }], 'invalid_body', '$.clientSecretValue'],
    ['providerSignOut on a GitHub provider', 'saveProvider', [{ id: 'gh', type: 'github', clientId: 'c', providerSignOut: true }], 'invalid_body', '$.providerSignOut'],
    ['an upstream with an unknown field', 'addUpstream', [{ id: 'y', listen: { host: '127.0.0.1', port: 4999 }, target: 'http://127.0.0.1:1', bogus: true }], 'unknown_field', '$.bogus'],
    ['an update with a wrong type', 'updateUpstream', ['app', { id: 'app', listen: { host: '127.0.0.1', port: '80' }, target: 'http://127.0.0.1:1' }], 'invalid_body', '$.listen.port'],
    ['a service client with an unknown field', 'saveServiceClients', [[{ clientId: 'job', clientSecretValue: 's', password: 'x' }]], 'unknown_field', '$.clients[0].password'],
    ['a service client whose secret is written inline', 'saveServiceClients', [[{ clientId: 'job', clientSecret: 'plain' }]], 'invalid_body', '$.clients[0].clientSecret'],
    ['a persona without a username', 'savePersonas', [[{ email: 'x@example.test', name: 'X', groups: [] }]], 'missing_field', '$.users[0].username'],
    ['an explain body with an unknown field', 'explainRequest', [{ upstream: 'app', method: 'GET', path: '/', as: 'bob' }], 'unknown_field', '$.as'],
    ['an explain body without a path', 'explainRequest', [{ upstream: 'app', method: 'GET' }], 'missing_field', '$.path'],
    ['an import in an unknown format', 'previewImport', ['upstreams = []', 'xml'], 'invalid_body', '$.format'],
    ['an export in an unknown format', 'exportUpstream', ['app', 'apache'], 'invalid_parameter', '$[1]'],
  ])('refuses %s as the console does, changing nothing', async (_case, method, args, code, path) => {
    const before = JSON.stringify(await running.engine.getState());
    const reply = await invoke(method, ours, ...args);
    expect(reply).toEqual({ ok: false, error: expect.objectContaining({ code, path }) });
    expect(JSON.stringify(await running.engine.getState())).toBe(before);
  });

  it('saves a service client with a stored secret as the console does, the secret in the store only', async () => {
    const reply = await invoke('saveServiceClients', ours, [{ clientId: 'nightly', claims: { roles: ['reporter'] }, clientSecretValue: 'ipc-s3cret' }]);
    expect(reply.ok).toBe(true);
    const state = (reply as { value: { serviceClients: unknown[] } }).value;
    expect(state.serviceClients).toEqual([{ clientId: 'nightly', claims: { roles: ['reporter'] }, secret: { source: 'store' } }]);
    expect(JSON.stringify(state)).not.toContain('ipc-s3cret');
    // A second reader of the keychain store's file, as the desktop engine's own store wrote it.
    const keychain = await KeychainSecretStore.open(join(running.dir, 'data'), 'linux');
    expect(await keychain.get('idp-client:nightly:clientSecret')).toBe('ipc-s3cret');
    expect((await invoke('saveServiceClients', ours, [])).ok).toBe(true);
    expect(await keychain.get('idp-client:nightly:clientSecret')).toBeUndefined();
  });

  it('explains a request as the console does', async () => {
    const reply = await invoke('explainRequest', ours, { upstream: 'app', method: 'GET', path: '/x', persona: 'bob' });
    expect(reply).toEqual({ ok: true, value: await running.engine.explainRequest({ upstream: 'app', method: 'GET', path: '/x', persona: 'bob' }) });
    expect((reply as { value: { reason: string } }).value.reason).toMatch(/^(allowed|denied)\b/);
  });

  it('previews an import and exports an upstream, the same answers as the console gives', async () => {
    const preview = await invoke('previewImport', ours, 'OAUTH2_PROXY_UPSTREAMS=http://127.0.0.1:5000\n', 'env');
    expect(preview).toMatchObject({ ok: true, value: { config: { upstreams: [{ target: 'http://127.0.0.1:5000' }] } } });
    const exported = await invoke('exportUpstream', ours, 'app', 'caddy');
    expect(exported).toEqual({ ok: true, value: await running.engine.exportUpstream('app', 'caddy') });
  });

  it('gets engine errors with their code and JSON path', async () => {
    const reply = await invoke('addUpstream', ours, { id: 'x', listen: { host: '127.0.0.1', port: 70000 }, target: 'http://127.0.0.1:1' });
    expect(reply.ok).toBe(false);
    const error = (reply as Extract<Reply, { ok: false }>).error;
    expect(error.code).toMatch(/\w+/);
    expect(error.path).toMatch(/^\$\./);
  });
});

describe('hostile senders are refused before the engine sees them', () => {
  it.each([
    ['a web page', { senderFrame: { url: 'https://evil.example/' } }],
    ['a file page', { senderFrame: { url: 'file:///tmp/x.html' } }],
    ['another host on our scheme', { senderFrame: { url: 'portcullis://evil/index.html' } }],
    ['a look-alike host', { senderFrame: { url: 'portcullis://app.evil/index.html' } }],
    ['credentials in the URL', { senderFrame: { url: 'portcullis://x@app/index.html' } }],
    ['about:blank', { senderFrame: { url: 'about:blank' } }],
    ['a destroyed frame', { senderFrame: null }],
  ])('%s', async (_name, event) => {
    const before = (await running.engine.getState()).upstreams[0].status.state;
    const reply = await invoke('stopUpstream', event, 'app');
    expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: 'This page may not control Portcullis.' } });
    expect((await running.engine.getState()).upstreams[0].status.state).toBe(before);
    expect(logged.at(-1)).toBe('refused stopUpstream from a frame that is not the Portcullis page');
  });
});

describe('malformed arguments are refused with a clear message', () => {
  it.each([
    ['stopUpstream', [42], 'stopUpstream: argument 1 must be string'],
    ['stopUpstream', [], 'stopUpstream: argument 1 must be string'],
    ['stopUpstream', ['app', 'extra'], 'stopUpstream takes at most 1 argument(s), got 2'],
    ['setSimulation', ['app', 'devs'], 'setSimulation: argument 2 must be object'],
    ['setSimulation', ['app', ['devs']], 'setSimulation: argument 2 must be object'],
    ['mintToken', [], 'mintToken: argument 1 must be object'],
    ['addUpstream', [null], 'addUpstream: argument 1 must be object'],
    ['addUpstream', [['x']], 'addUpstream: argument 1 must be object'],
    ['checkPort', ['127.0.0.1', Number.NaN], 'checkPort: argument 2 must be number'],
    ['signInUrl', ['app', { toString: 'x' }], 'signInUrl: argument 2 must be string or nothing'],
    ['savePersonas', [{}], 'savePersonas: argument 1 must be array'],
  ] as const)('%s(%j)', async (method, args, message) => {
    expect(argumentProblem(method, [...args])).toBe(message);
    expect(await invoke(method, ours, ...args)).toEqual({ ok: false, error: { code: 'bad_request', message } });
  });
});

describe('events', () => {
  it('reach our page only', async () => {
    const page = new FakeWebContents();
    page.url = 'portcullis://app/index.html';
    const stop = forwardEvents(running.engine, () => page as unknown as Electron.WebContents);
    await running.engine.stopUpstream('app');
    await vi.waitFor(() => expect(page.sent.some(([, e]) => (e as { type: string }).type === 'state')).toBe(true));
    expect(page.sent.every(([channel]) => channel === 'portcullis:event')).toBe(true);

    page.sent.length = 0;
    page.url = 'https://evil.example/';
    await running.engine.startUpstream('app');
    await new Promise((resolve) => setImmediate(resolve));
    expect(page.sent).toEqual([]);
    stop();
  });
});
