// What a page in the window may ask Chromium for: our page may write to the clipboard (the
// UI's Copy buttons), nothing else; any other page gets nothing — asked or checked.
import { describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import { applyPermissionPolicy } from '../../electron/desktop/permissions.ts';

const session = electron.session.defaultSession;
applyPermissionPolicy(session as unknown as Electron.Session);

/** Whether a page at `origin` gets `permission` when it requests it, and when it checks it. */
function answers(permission: string, origin: string): { requested: boolean; checked: boolean } {
  let requested: boolean | undefined;
  session.requestHandler!({}, permission, (granted) => (requested = granted), { requestingUrl: `${origin}/index.html`, isMainFrame: true });
  const checked = session.checkHandler!({}, permission, origin, { isMainFrame: true });
  if (requested === undefined) throw new Error('the request handler never answered');
  return { requested, checked };
}

describe('permissions', () => {
  it.each([
    ['clipboard write (Copy buttons) from our page', 'clipboard-sanitized-write', 'portcullis://app', true],
    ['clipboard read from our page', 'clipboard-read', 'portcullis://app', false],
    ['page notifications from our page', 'notifications', 'portcullis://app', false],
    ['camera and microphone from our page', 'media', 'portcullis://app', false],
    ['geolocation from our page', 'geolocation', 'portcullis://app', false],
    ['opening external apps from our page', 'openExternal', 'portcullis://app', false],
    ['clipboard write from a web site', 'clipboard-sanitized-write', 'https://evil.example', false],
    ['clipboard write from a listener page', 'clipboard-sanitized-write', 'http://localhost:4180', false],
    ['clipboard write from another host on our scheme', 'clipboard-sanitized-write', 'portcullis://evil', false],
    ['clipboard write from a file', 'clipboard-sanitized-write', 'file://', false],
  ])('%s: granted=%s', (_name, permission, origin, granted) => {
    expect(answers(permission, origin)).toEqual({ requested: granted, checked: granted });
  });
});
