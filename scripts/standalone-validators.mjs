// Ajv standalone code for a validators module (electron/engine/**/*-validators.ts): the module's
// `schemaSet` compiled once, here, into plain JavaScript, so a start from the bundle compiles
// no schema (electron/engine/config/schema-set.ts). The esbuild plugin below swaps each
// validators module for this code in the command's and the desktop's bundles;
// test/config/standalone-validators.test.ts checks both give the same errors.
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

/** The ES module source that replaces the validators module at `file`: `export default { name: validate, … }`. */
export async function standaloneValidators(file) {
  const { schemaSet } = await tsImport(pathToFileURL(file).href, import.meta.url);
  const ajv = new Ajv({ ...schemaSet.options, code: { source: true, esm: true } });
  const names = Object.keys(schemaSet.schemas);
  for (const name of names) ajv.addSchema(schemaSet.schemas[name], name);
  // An ES module is strict already.
  const code = standaloneCode.default(ajv, Object.fromEntries(names.map((name) => [name, name]))).replace(/^"use strict";/, '');
  // Ajv refers to its small runtime helpers (e.g. Unicode-aware string length) with require().
  // esbuild bundles those calls like any dependency, so the command's bundle needs no
  // node_modules beside it; where a bundle keeps dependencies external (the desktop's), its
  // banner gives the module a require. Loaded outside a bundle, the loader must supply one.
  return `${code}\nexport default { ${names.join(', ')} };\n`;
}

/** esbuild plugin: every `*-validators.ts` module is bundled as its standalone code. */
export const precompiledSchemas = {
  name: 'precompiled-schemas',
  setup(build) {
    build.onLoad({ filter: /-validators\.ts$/ }, async ({ path }) => ({ contents: await standaloneValidators(path), loader: 'js', resolveDir: dirname(path) }));
  },
};
