// The one-way graph inside electron/engine (docs/architecture.md), declared once:
// eslint.config.js turns it into import restrictions, and test/engine/layers.test.ts checks the
// real import graph against it. A unit (a folder, or a top-level file) may import the units of
// the layers before its own, never a sibling folder of its own layer or anything after it.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ENGINE_DIR = fileURLToPath(new URL('../electron/engine/', import.meta.url));

/**
 * Bottom first. `folders` are folders of electron/engine, `files` its top-level files. The last
 * layer (`rest`) holds every other top-level file: engine.ts and the parts it builds.
 */
export const ENGINE_LAYERS = [
  { name: 'http', folders: ['http'], why: 'neutral HTTP helpers: pages, JSON answers, probes, bind errors' },
  { name: 'config', folders: ['config'], why: 'settings, schema, secrets, import/export' },
  { name: 'contract', files: ['api.ts', 'api-schemas.ts', 'api-validators.ts', 'identity.ts', 'paths.ts', 'problems.ts'], why: 'the control API shapes and shared types' },
  { name: 'services', folders: ['providers', 'idp', 'log'], why: 'sign-in providers, the built-in IdP, the request log' },
  { name: 'auth', folders: ['auth'], why: 'sessions, /oauth2/* endpoints, rules' },
  { name: 'proxy', folders: ['proxy'], why: 'listeners, forwarding, WebSockets' },
  { name: 'facade', rest: true, why: 'engine.ts (the ControlApi) and the parts it builds' },
];

/** The unit a path relative to electron/engine belongs to: "auth" for "auth/x.ts", "engine.ts" for itself. */
export function unitOf(relativePath) {
  return relativePath.split('/')[0];
}

export function layerIndex(unit) {
  const index = ENGINE_LAYERS.findIndex((l) => l.folders?.includes(unit) || l.files?.includes(unit));
  return index >= 0 ? index : ENGINE_LAYERS.length - 1;
}

/** May code in unit `from` import unit `to`? */
export function mayImport(from, to) {
  if (from === to) return true;
  const a = layerIndex(from);
  const b = layerIndex(to);
  if (b < a) return true;
  // Top-level files of one layer may use each other (the facade's parts, the contract types);
  // folders of one layer may not (providers, idp and log stay independent).
  return a === b && !ENGINE_LAYERS[a].folders?.includes(from) && !ENGINE_LAYERS[a].folders?.includes(to);
}

/** Every unit on disk: the engine's folders and top-level source files. */
export function engineUnits(dir = ENGINE_DIR) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() || /\.(ts|mts|cts)$/.test(e.name))
    .map((e) => e.name);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * no-restricted-imports patterns for code in `from`: one regex over the import string per unit
 * it may not import. `from` is a folder, or a top-level file (all top-level files of a layer
 * share one rule).
 */
export function forbiddenImportPatterns(from, units = engineUnits()) {
  const isFolder = !/\.(ts|mts|cts)$/.test(from);
  const prefix = isFolder ? '\\.\\./' : '\\./';
  return units
    .filter((to) => !mayImport(from, to))
    .map((to) => ({
      regex: /\.(ts|mts|cts)$/.test(to) ? `^${prefix}${escape(to)}$` : `^${prefix}${escape(to)}(/|$)`,
      message: `Engine layers (docs/architecture.md): ${ENGINE_LAYERS[layerIndex(from)].name} code may not import ${to} (${ENGINE_LAYERS[layerIndex(to)].name}); move the type lower or the function higher.`,
    }));
}
