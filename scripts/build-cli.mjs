#!/usr/bin/env node
// Bundles the `portcullis` command (electron/cli.ts with the engine and console) into dist/ with
// esbuild, dependencies included, so `npm start` and `portcullis serve` load prebuilt files
// instead of resolving and compiling hundreds of modules from node_modules at every start.
// bin/portcullis.js uses the bundle only while it is newer than every source file, and the
// sources through tsx otherwise.
//   electron/cli.ts                    → dist/cli.js
//   electron/engine/idp/idp-worker.ts  → dist/idp-worker.js (the built-in provider's thread)
//   code reached only through import()  → dist/chunk-*.js, loaded when first used
// Splitting is what lets `serve` spawn the provider's thread before it compiles the engine: the
// entry is small, and the engine, console, import/export and WebSocket relay load afterwards.
// Every dependency bundles as it is (test/integration/command-bundle.test.ts runs a copy built
// away from node_modules): none reads files beside its own sources at run time
// (oidc-provider's pages are functions, undici's parser is inlined WebAssembly). Only
// `electron` stays outside: the launcher merely resolves where it is installed.
// Each JSON-schema validators module (*-validators.ts) is replaced by Ajv standalone code made
// here, so the bundle compiles no schema when it starts (and never loads TypeBox, which only
// builds those schemas). oidc-provider's list formatter is replaced by a plain one that loads
// no ICU data (scripts/shims/oidc-provider-formatters.js).
// Whitespace and comments are left out: V8 keeps each module's source text in memory for as long
// as the process runs, and a single character beyond Latin-1 in a comment stores a whole chunk
// at two bytes a character. Names stay, so stack traces still name functions; the source maps
// beside the chunks give lines (`node --enable-source-maps dist/cli.js …`).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plainListFormat } from './oidc-provider-formatters.mjs';
import { precompiledSchemas } from './standalone-validators.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
  external: ['electron'],
  plugins: [precompiledSchemas, plainListFormat],
  minifyWhitespace: true,
  // CommonJS dependencies (undici, ajv, koa…) call require() for Node's built-ins; an ES module
  // bundle has no require of its own, so it gets one.
  banner: { js: "import { createRequire as __portcullisCreateRequire } from 'node:module'; const require = __portcullisCreateRequire(import.meta.url);" },
};

// `--outdir DIR` builds elsewhere (test/integration/command-bundle.test.ts builds a copy).
const outIndex = process.argv.indexOf('--outdir');
const outdir = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(root, 'dist');
// Chunk names carry a hash: the old ones would pile up beside the new.
await rm(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [join(root, 'electron/cli.ts'), join(root, 'electron/engine/idp/idp-worker.ts')],
  outdir,
  splitting: true,
  entryNames: '[name]',
  // Beside the entries: idp-thread.ts finds idp-worker.js next to the file it is compiled into.
  chunkNames: 'chunk-[hash]',
});
console.log(`portcullis command bundled into ${outdir}`);
