#!/usr/bin/env node
// Bundles the desktop shell for Electron with esbuild:
//   electron/main.ts     → dist-electron/main.js      (ESM, the engine inside; runtime npm
//                                                       dependencies stay in node_modules)
//   electron/engine/idp/idp-worker.ts → dist-electron/idp-worker.js (the built-in provider's thread)
//   electron/preload.cts → dist-electron/preload.cjs  (CommonJS for the sandbox: requires only 'electron')
// `node scripts/build-electron.mjs [--outdir DIR]`
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompiledSchemas } from './standalone-validators.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--outdir');
const outdir = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(root, 'dist-electron'));

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning', absWorkingDir: root };

await build({
  ...common,
  entryPoints: [join(root, 'electron/main.ts')],
  outfile: join(outdir, 'main.js'),
  format: 'esm',
  // Production dependencies ship in the app's node_modules (electron-builder copies them);
  // dev-only ones the shell uses (electron-store) are bundled in.
  external: ['electron', ...Object.keys(pkg.dependencies ?? {})],
  // Bundled CommonJS code may call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __portcullisRequire } from 'node:module'; const require = __portcullisRequire(import.meta.url);" },
  // The engine's JSON schemas as Ajv standalone code: the window opens without compiling them.
  plugins: [precompiledSchemas],
});

// The built-in identity provider runs in a worker thread (electron/engine/idp/idp-thread.ts),
// which loads this file from beside main.js.
await build({
  ...common,
  entryPoints: [join(root, 'electron/engine/idp/idp-worker.ts')],
  outfile: join(outdir, 'idp-worker.js'),
  format: 'esm',
  external: Object.keys(pkg.dependencies ?? {}),
});

await build({
  ...common,
  entryPoints: [join(root, 'electron/preload.cts')],
  outfile: join(outdir, 'preload.cjs'),
  format: 'cjs',
  external: ['electron'],
});

console.log(`desktop shell bundled into ${outdir}`);
