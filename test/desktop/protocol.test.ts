// The app protocol serves the renderer build from one folder, with the CSP, and nothing else.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => (await import('./fake-electron.ts')).createFakeElectron());
vi.mock('electron', () => electron);

import { registerAppScheme, resolveAppFile, serveAppProtocol } from '../../electron/desktop/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/desktop/web-policy.ts';

const dir = mkdtempSync(join(tmpdir(), 'portcullis-protocol-'));
const root = join(dir, 'dist');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Portcullis</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(dir, 'secret.txt'), 'do not serve');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

registerAppScheme();
serveAppProtocol(root);
const handler = electron.protocol.handlers.get('portcullis')!;
const fetchApp = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('the app protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'portcullis', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves the page with the strict CSP', async () => {
    const res = await fetchApp('portcullis://app/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Portcullis</title>');
  });

  it.each([
    ['the page', 'portcullis://app/index.html', 'index.html'],
    ['the folder', 'portcullis://app/', 'index.html'],
    ['a script', 'portcullis://app/assets/app.js', 'assets/app.js'],
    ['a client-side route', 'portcullis://app/sessions', 'index.html'],
    ['a query string', 'portcullis://app/index.html?x=1', 'index.html'],
  ])('resolves %s', (_name, url, file) => {
    expect(resolveAppFile(root, url)).toBe(join(root, file));
  });

  it.each([
    ['dot-dot', 'portcullis://app/../secret.txt'],
    ['encoded dot-dot', 'portcullis://app/%2e%2e/secret.txt'],
    ['encoded slash', 'portcullis://app/..%2fsecret.txt'],
    ['backslash', 'portcullis://app/..%5csecret.txt'],
    ['NUL byte', 'portcullis://app/index.html%00.js'],
    ['bad encoding', 'portcullis://app/%E0%A4%A'],
    ['another host', 'portcullis://evil/index.html'],
    ['another scheme', 'https://app/index.html'],
  ])('refuses %s with 404', async (_name, url) => {
    const res = await fetchApp(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('do not serve');
  });

  it('answers 404 for a missing file and for anything but GET', async () => {
    expect((await fetchApp('portcullis://app/missing.js')).status).toBe(404);
    expect((await fetchApp('portcullis://app/index.html', 'POST')).status).toBe(404);
  });
});
