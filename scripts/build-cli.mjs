#!/usr/bin/env node
// Bundles the `portcullis` command (electron/cli.ts with the engine and console) into dist/ with
// esbuild, so `npm start` and `portcullis serve` load one prebuilt file instead of compiling
// ~100 TypeScript modules at every start. bin/portcullis.js uses the bundle only while it is
// newer than every source file, and the sources through tsx otherwise.
//   electron/cli.ts                    → dist/cli.js
//   electron/engine/idp/idp-worker.ts  → dist/idp-worker.js (the built-in provider's thread)
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true, logLevel: 'warning', absWorkingDir: root,
  banner: { js: "import { createRequire as __portcullisRequire } from 'node:module'; const require = __portcullisRequire(import.meta.url);" },
  external: ['electron'] };

await build({ ...common, entryPoints: [join(root, 'electron/cli.ts')], outfile: join(root, 'dist/cli.js'), metafile: true }).then((r) => import('node:fs').then((fs) => fs.writeFileSync('/tmp/lean/meta-cli.json', JSON.stringify(r.metafile))));
await build({ ...common, entryPoints: [join(root, 'electron/engine/idp/idp-worker.ts')], outfile: join(root, 'dist/idp-worker.js'), metafile: true }).then((r) => import('node:fs').then((fs) => fs.writeFileSync('/tmp/lean/meta-w.json', JSON.stringify(r.metafile))));
console.log('portcullis command bundled into dist/');
