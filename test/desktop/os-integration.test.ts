// How the app introduces itself to the OS: on Windows the identity the installer gave its
// shortcut (the appId of electron-builder.yml), and portcullis:// links that start this app —
// the installed one, or from a checkout, Electron with this app's folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import { integrateWithOs } from '../../electron/desktop/os-integration.ts';

const builderConfig = YAML.parse(readFileSync(join(import.meta.dirname, '../../electron-builder.yml'), 'utf8'));

beforeEach(() => {
  electron.app.protocolClients.length = 0;
  electron.app.setAppUserModelId.mockClear();
  electron.app.setAsDefaultProtocolClient.mockClear();
});

describe('the app’s identity', () => {
  it('on Windows is the installer’s appId, so notifications show', () => {
    integrateWithOs('win32');
    expect(electron.app.setAppUserModelId).toHaveBeenCalledWith(builderConfig.appId);
  });

  it.each(['darwin', 'linux'] as const)('is left alone on %s', (platform) => {
    integrateWithOs(platform);
    expect(electron.app.setAppUserModelId).not.toHaveBeenCalled();
  });
});

describe('portcullis:// links', () => {
  it('installed: open the app itself', () => {
    electron.app.isPackaged = true;
    integrateWithOs('linux');
    expect(electron.app.protocolClients).toEqual([{ protocol: 'portcullis' }]);
    electron.app.isPackaged = false;
  });

  it('from a checkout: open Electron with this app’s folder, not a bare Electron', () => {
    integrateWithOs('linux');
    expect(electron.app.protocolClients).toEqual([{ protocol: 'portcullis', path: process.execPath, args: ['/app'] }]);
  });

  it('are registered once', () => {
    integrateWithOs('linux');
    integrateWithOs('linux');
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenCalledTimes(1);
  });

  it('use the scheme the installers register', () => {
    expect(builderConfig.protocols[0].schemes).toEqual(['portcullis']);
  });
});
