// The sandboxed preload: exposes the ControlApi as `window.portcullis`, one function per
// channel listed in desktop/channels.ts and a `subscribe` for engine events — nothing else,
// and never ipcRenderer itself. Bundled to CommonJS; at runtime it requires only 'electron'.
// A CommonJS file's imports are require()s; that is the point of this one.
/* eslint-disable @typescript-eslint/no-require-imports */
import electron = require('electron');
import channels = require('./desktop/channels.ts');
/* eslint-enable @typescript-eslint/no-require-imports */
import type { ControlApi, EngineEvent } from './engine/api.ts';

const { contextBridge, ipcRenderer } = electron;

/** An error the UI can show, keeping the engine's code and the JSON path of the bad field. */
class PortcullisError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${message} (${path})` : message);
    this.name = code;
  }
}

const api: Record<string, unknown> = {};
for (const method of Object.keys(channels.METHODS) as channels.Method[]) {
  api[method] = async (...args: unknown[]) => {
    const reply = (await ipcRenderer.invoke(channels.invokeChannel(method), ...args)) as channels.Reply;
    if (reply.ok) return reply.value;
    throw new PortcullisError(reply.error.code, reply.error.message, reply.error.path);
  };
}

const subscribe: ControlApi['subscribe'] = (listener) => {
  const forward = (_event: Electron.IpcRendererEvent, engineEvent: EngineEvent) => listener(engineEvent);
  ipcRenderer.on(channels.EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(channels.EVENT_CHANNEL, forward);
  };
};
api.subscribe = subscribe;

contextBridge.exposeInMainWorld(channels.GLOBAL_NAME, api);
