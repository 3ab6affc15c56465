// electron-builder.yml passes electron-builder's own schema validation (no packaging, no
// download), says what the issue asks for, package.json carries the metadata the Linux
// targets demand, and the icons it points at are real PNGs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debug: { isEnabled: boolean }): Promise<void>;
};
const config = YAML.parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const validate = (c: unknown) => validateConfiguration(c, { isEnabled: false });

// The deb target's own metadata check (homepage, maintainer), run without packaging anything.
const FpmTarget = (require('app-builder-lib/out/targets/FpmTarget.js') as { default: { prototype: { computeFpmMetaInfoOptions(): Promise<{ maintainer: string; url: string }> } } }).default;
const { AppInfo } = require('app-builder-lib/out/appInfo.js') as { AppInfo: new (info: unknown, buildVersion: null, platformOptions: unknown) => unknown };
function debMetadata(metadata: Record<string, unknown>): Promise<{ maintainer: string; url: string }> {
  const info = { metadata, devMetadata: metadata, config, repositoryInfo: Promise.resolve(null) };
  const target = { packager: { appInfo: new AppInfo(info, null, config.linux), info }, options: { ...config.linux, ...config.deb } };
  return FpmTarget.prototype.computeFpmMetaInfoOptions.call(target);
}

describe('electron-builder.yml', () => {
  it('is valid for electron-builder', async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it.each([
    ['appId', config.appId, 'dev.portcullis.app'],
    ['productName', config.productName, 'Portcullis'],
    ['mac target', config.mac.target, 'dmg'],
    ['mac hardened runtime', config.mac.hardenedRuntime, true],
    ['mac category', config.mac.category, 'public.app-category.developer-tools'],
    ['win target', config.win.target, 'nsis'],
    ['nsis per user', config.nsis.perMachine, false],
    ['nsis no elevation', config.nsis.allowElevation, false],
    ['linux targets', config.linux.target, ['AppImage', 'deb']],
    ['linux category', config.linux.category, 'Development'],
    ['protocol', config.protocols[0].schemes, ['portcullis']],
    ['fuse runAsNode', config.electronFuses.runAsNode, false],
    ['fuse cookie encryption', config.electronFuses.enableCookieEncryption, true],
    ['fuse ASAR integrity', config.electronFuses.enableEmbeddedAsarIntegrityValidation, true],
    ['fuse only load from ASAR', config.electronFuses.onlyLoadAppFromAsar, true],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  it('ships the bundles, the renderer and the icons', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist-electron/**', 'renderer/dist/**', 'assets/**']));
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
  });

  it('package.json has what the deb and AppImage targets need: homepage, author email, description', async () => {
    expect(pkg.homepage).toMatch(/^https:\/\/\S+$/);
    expect(pkg.author.email).toMatch(/^\S+@\S+$/);
    expect(pkg.description.length).toBeGreaterThan(20);
    await expect(debMetadata(pkg)).resolves.toMatchObject({ url: pkg.homepage, maintainer: config.linux.maintainer });
  });

  it('the deb check really checks: without a homepage it refuses', async () => {
    const { homepage: _homepage, ...withoutHomepage } = pkg;
    await expect(debMetadata(withoutHomepage)).rejects.toThrow(/Please specify project homepage/);
  });

  it.each([
    ['an unknown option', { ...config, nsis: { ...config.nsis, perMachin: false } }],
    ['a misplaced option', { ...config, win: { ...config.win, hardenedRuntime: true } }],
    ['a wrong type', { ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } }],
  ])('the validation really checks: %s is rejected', async (_name, broken) => {
    await expect(validate(broken)).rejects.toThrow(/Invalid configuration object/);
  });
});

/** Width, height and how many pixels are drawn (the stopped icon is half transparent) of a PNG, read by hand: it must be a real RGBA PNG. */
function readPng(file: string): { width: number; height: number; opaquePixels: number } {
  const data = readFileSync(file);
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  expect(data[25]).toBe(6); // RGBA
  const idat: Buffer[] = [];
  for (let at = 8; at < data.length; ) {
    const length = data.readUInt32BE(at);
    if (data.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(data.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  const rows = inflateSync(Buffer.concat(idat));
  let opaquePixels = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (rows[y * (width * 4 + 1) + 1 + x * 4 + 3] > 64) opaquePixels++;
  return { width, height, opaquePixels };
}

describe('icons', () => {
  const statuses = ['stopped', 'running', 'error', 'simulating'];
  it.each(statuses.flatMap((s) => [`tray-${s}`, `tray-${s}Template`]).flatMap((base) => [[`${base}.png`, 16], [`${base}@2x.png`, 32]] as const))(
    '%s is a %ipx RGBA PNG with a visible glyph',
    (name, size) => {
      const png = readPng(join(root, 'assets', name));
      expect([png.width, png.height]).toEqual([size, size]);
      expect(png.opaquePixels).toBeGreaterThan(size);
    },
  );

  it('the app icon is 512px', () => {
    expect(readPng(join(root, 'assets', 'icon.png'))).toMatchObject({ width: 512, height: 512 });
  });
});
