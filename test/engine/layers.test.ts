// The engine's one-way graph (docs/architecture.md): the real imports between its files follow
// the declared layer order and form no cycle, and the lint rule built from that order fails on
// a planted upward import.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module shared with eslint.config.js
import { ENGINE_DIR, ENGINE_LAYERS, mayImport, unitOf } from '../../scripts/engine-layers.mjs';

const REPO = join(ENGINE_DIR, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative import of every engine file, as paths relative to electron/engine. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(ENGINE_DIR)) {
    const from = relative(ENGINE_DIR, file).split('\\').join('/');
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]);
    graph.set(
      from,
      specifiers.filter((s) => s.startsWith('.')).map((s) => posix.normalize(posix.join(posix.dirname(from), s))),
    );
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the engine import graph', () => {
  const graph = importGraph();

  it('reads the sources (sanity: the facade imports the proxy)', () => {
    expect(graph.get('engine.ts')?.some((to) => to.startsWith('proxy/') || !to.includes('/'))).toBe(true);
  });

  it('has no import that goes up or sideways between layers', () => {
    const wrong = [...graph].flatMap(([from, tos]) =>
      tos.filter((to) => to.startsWith('../') === false && !mayImport(unitOf(from), unitOf(to))).map((to) => `${from} -> ${to}`),
    );
    expect(wrong).toEqual([]);
  });

  it('imports nothing outside the engine but the runtime and packages', () => {
    const outside = [...graph].flatMap(([from, tos]) => tos.filter((to) => to.startsWith('../')).map((to) => `${from} -> ${to}`));
    expect(outside).toEqual([]);
  });

  it.each([
    [{ a: ['b'], b: ['c'], c: ['a'] }, ['a', 'b', 'c', 'a']],
    [{ a: ['b', 'c'], b: ['c'], c: [] }, undefined],
    [{ a: ['a'] }, ['a', 'a']],
  ])('the cycle finder answers %j with %j', (edges, cycle) => {
    expect(findCycle(new Map(Object.entries(edges)))).toEqual(cycle);
  });

  it('has no cycle between files', () => {
    expect(findCycle(graph)).toBeUndefined();
  });
});

describe('the layer order', () => {
  it.each([
    ['auth', 'proxy', false],
    ['proxy', 'auth', true],
    ['providers', 'proxy', false],
    ['providers', 'config', true],
    ['providers', 'log', false],
    ['log', 'api.ts', true],
    ['http', 'config', false],
    ['config', 'http', true],
    ['api.ts', 'config', true],
    ['api.ts', 'identity.ts', true],
    ['api.ts', 'engine.ts', false],
    ['config', 'api.ts', false],
    ['engine.ts', 'proxy', true],
    ['engine.ts', 'session-view.ts', true],
    ['idp', 'auth', false],
  ])('%s may import %s: %s', (from, to, allowed) => {
    expect(mayImport(from, to)).toBe(allowed);
  });

  it('puts config at the bottom of the named folders and the facade on top', () => {
    expect(ENGINE_LAYERS.map((l: { name: string }) => l.name)).toEqual(['http', 'config', 'contract', 'services', 'auth', 'proxy', 'facade']);
  });
});

describe('the lint rule built from the order', () => {
  const eslint = new ESLint({ cwd: REPO });
  const lint = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(REPO, file) });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it.each([
    ['electron/engine/auth/planted.ts', "import type { UpstreamContext } from '../proxy/context.ts';\nexport type X = UpstreamContext;\n", /auth code may not import proxy/],
    ['electron/engine/providers/planted.ts', "import { probeTarget } from '../proxy/forward.ts';\nexport const p = probeTarget;\n", /services code may not import proxy/],
    ['electron/engine/providers/planted.ts', "import { RequestLog } from '../log/request-log.ts';\nexport const l = RequestLog;\n", /services code may not import log/],
    ['electron/engine/config/planted.ts', "import type { Identity } from '../identity.ts';\nexport type I = Identity;\n", /config code may not import identity\.ts/],
    ['electron/engine/http/planted.ts', "import type { UpstreamConfig } from '../config/types.ts';\nexport type U = UpstreamConfig;\n", /http code may not import config/],
    ['electron/engine/proxy/planted.ts', "import { Engine } from '../engine.ts';\nexport const e = Engine;\n", /proxy code may not import engine\.ts/],
    ['electron/engine/api.ts', "import { Engine } from './engine.ts';\nexport const e = Engine;\n", /contract code may not import engine\.ts/],
  ])('fails %s on a planted upward import', async (file, code, message) => {
    const messages = await lint(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ['electron/engine/proxy/planted.ts', "import type { AuthContext } from '../auth/context.ts';\nexport type A = AuthContext;\n"],
    ['electron/engine/auth/planted.ts', "import { sendPage } from '../http/pages.ts';\nexport const s = sendPage;\n"],
    ['electron/engine/engine.ts', "import { handleRequest } from './proxy/handle-request.ts';\nexport const h = handleRequest;\n"],
  ])('accepts %s importing downwards', async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});
