#!/usr/bin/env node
// The `portcullis` command. It runs the prebuilt bundle dist/cli.js (made by `npm install`'s
// prepare step, scripts/build-cli.mjs) while that is newer than every source file; otherwise
// — in a checkout being edited — it runs the TypeScript sources through tsx, so what runs is
// never older than what is on disk.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli.js');

function bundleIsFresh() {
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  const sources = join(root, 'electron');
  return readdirSync(sources, { recursive: true }).every((file) => statSync(join(sources, file)).mtimeMs <= built);
}

if (bundleIsFresh()) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/cli.ts');
}
