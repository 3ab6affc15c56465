// The preload, run against the fake electron: it exposes exactly the listed calls and a
// subscription as `window.portcullis`, and never ipcRenderer itself.
import { describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import channels from '../../electron/desktop/channels.cts';

await import('../../electron/preload.cts');
const api = electron.contextBridge.exposed.get('portcullis') as Record<string, (...args: unknown[]) => any>;

describe('window.portcullis', () => {
  it('is the only thing exposed, with exactly the ControlApi calls', () => {
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['portcullis']);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(channels.METHODS), 'subscribe'].sort());
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
