// Lint, chiefly to enforce the layering rule of ARCHITECTURE.md: a file's folder says
// which runtime it may use (engine: plain Node; renderer: browser; only the desktop
// shell, main.ts and the preload may import 'electron').
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'process', 'readline', 'stream', 'tls', 'url', 'util',
  'worker_threads', 'zlib',
];

const electronOnly = { name: 'electron', message: "Only electron/desktop/, electron/main.ts and electron/preload.cts may import 'electron'." };

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
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronOnly, { name: 'react', message: 'The engine is plain Node.' }],
        patterns: [
          { group: ['**/desktop/**', '**/console/**', '**/renderer/**', '**/cli*'], message: 'Layering: electron/engine imports nothing from the shells or the renderer.' },
        ],
      }],
    },
  },
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
