// Lint, chiefly to enforce the layering rules of docs/architecture.md: a file's folder says
// which runtime it may use (engine: plain Node; renderer: browser; only the desktop
// shell, main.ts and the preload may import 'electron').
import tseslint from 'typescript-eslint';
import { ENGINE_LAYERS, engineUnits, forbiddenImportPatterns } from './scripts/engine-layers.mjs';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'process', 'readline', 'stream', 'tls', 'url', 'util',
  'worker_threads', 'zlib',
];

const electronOnly = { name: 'electron', message: "Only electron/desktop/, electron/main.ts and electron/preload.cts may import 'electron'." };

// What every engine file may not import (shells, renderer, electron, react).
const engineRuntime = {
  paths: [electronOnly, { name: 'react', message: 'The engine is plain Node.' }],
  patterns: [
    { group: ['**/desktop/**', '**/console/**', '**/renderer/**', '**/cli*'], message: 'Layering: electron/engine imports nothing from the shells or the renderer.' },
  ],
};

// The one-way graph inside the engine (scripts/engine-layers.mjs): one block per folder and one
// per layer of named top-level files, each forbidding every unit it may not import. The rule
// replaces, not merges, so each block repeats the runtime restrictions above.
const engineUnitsOnDisk = engineUnits();
const engineLayerBlocks = [
  ...engineUnitsOnDisk.filter((u) => !/\.(ts|mts|cts)$/.test(u)).map((folder) => ({ files: [`electron/engine/${folder}/**`], unit: folder })),
  ...ENGINE_LAYERS.filter((l) => l.files).map((l) => ({ files: l.files.map((f) => `electron/engine/${f}`), unit: l.files[0] })),
].map(({ files, unit }) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      paths: engineRuntime.paths,
      patterns: [...engineRuntime.patterns, ...forbiddenImportPatterns(unit, engineUnitsOnDisk)],
    }],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'renderer/dist/**', 'dist-electron/**', 'release/**', 'test/.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['electron/engine/**', 'electron/console/**', 'electron/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronOnly, { name: 'react', message: 'The engine and the console are plain Node.' }],
        patterns: [
          { group: ['**/desktop/**', '**/renderer/**'], message: 'Layering: this code may not import the desktop shell or the renderer.' },
        ],
      }],
    },
  },
  {
    files: ['electron/engine/**'],
    rules: { 'no-restricted-imports': ['error', engineRuntime] },
  },
  ...engineLayerBlocks,
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronOnly, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser: no Node built-ins.' }))],
        patterns: [
          { group: ['node:*'], message: 'The renderer runs in a browser: no Node built-ins.' },
          { group: ['**/electron/engine/**', '!**/electron/engine/api.ts', '!**/electron/engine/config/types.ts'], message: 'The renderer talks only to ControlApi (electron/engine/api.ts), importing types only.' },
        ],
      }],
    },
  },
  {
    files: ['electron/**'],
    ignores: ['electron/desktop/**', 'electron/main.ts', 'electron/preload.cts', 'electron/engine/**', 'electron/console/**', 'electron/cli.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnly] }] },
  },
);
