// The layer rules of src/, checked on the import graph (importGraph.ts reads it from the source text):
// - no import cycle anywhere in src/. Type-only imports count too: they make no cycle at run time,
//   but a cycle of types still ties the files together, so a module could not be moved or read alone;
// - TF.js stays in the engine and the worker: nothing under src/ui or src/state imports it, directly or
//   through a chain of value imports (a type-only import is erased, so it may pass through);
// - the engine is pure: no DOM globals, and no imports from ui/, state/ or worker/;
// - only src/worker/ constructs a Worker.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cyclicComponents, parseImports, readSources, shortestCycle, shortestPath, type SourceFile } from './importGraph';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const files = readSources(ROOT, 'src');

const inLayer = (path: string, ...layers: string[]) => layers.some((l) => path.startsWith(`src/${l}/`));
const isTfjs = (specifier: string) => specifier.startsWith('@tensorflow/');

function graphOf(keep: (e: SourceFile['imports'][number]) => boolean): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files.values()) graph.set(f.path, [...new Set(f.imports.filter((e) => e.target && keep(e)).map((e) => e.target!))]);
  return graph;
}
const allImports = graphOf(() => true);
const valueImports = graphOf((e) => !e.typeOnly);

/** Fails with every problem of a rule, one paragraph each. */
function expectNone(problems: string[], rule: string) {
  if (problems.length) expect.fail(`${rule}:\n\n${problems.join('\n\n')}\n`);
}

/**
 * Files that still break the Worker rule, each waiting on an issue item that is being done elsewhere.
 * The test fails when a listed file no longer breaks it: then delete its line.
 */

const DOM_GLOBALS = [
  'window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'requestAnimationFrame', 'cancelAnimationFrame',
  'getComputedStyle', 'matchMedia', 'ResizeObserver', 'IntersectionObserver', 'MutationObserver', 'DOMParser',
  'XMLSerializer', 'HTMLElement', 'Element', 'CSS', 'alert',
];
// a global is a bare identifier: not a property (x.window) and not part of a longer name
const DOM_GLOBAL = new RegExp(`(?<![.\\w$])(${DOM_GLOBALS.join('|')}|HTML\\w*Element|SVG\\w*Element)(?![\\w$])`, 'g');
const NEW_WORKER = /(?<![.\w$])new\s+(Shared)?Worker\s*\(/g;

/** A name the file declares itself (`const window = …` in sae/core.ts) is a local, not the global. */
function declares(code: string, name: string): boolean {
  return new RegExp(`\\b(const|let|var|function|class)\\s+${name}(?![\\w$])`).test(code);
}

function lineOf(code: string, index: number): number {
  return code.slice(0, index).split('\n').length;
}

describe('the import reader', () => {
  it('tells type-only imports from value imports, and skips comments and strings', () => {
    const text = [
      "import type { A } from './a';",
      "import { type B, type C } from './b';",
      "import D, { type E } from './d';",
      "export { F } from './f';",
      "export type { G } from './g';",
      "// import { H } from './h';",
      "const s = `import { I } from './i' ${x}`;",
      "import './style.css';",
      "const lazy = () => import('./lazy');",
      "type T = typeof import('./t');",
    ].join('\n');
    expect(parseImports(text)).toEqual([
      { specifier: './a', typeOnly: true },
      { specifier: './b', typeOnly: true },
      { specifier: './d', typeOnly: false },
      { specifier: './f', typeOnly: false },
      { specifier: './g', typeOnly: true },
      { specifier: './style.css', typeOnly: false },
      { specifier: './lazy', typeOnly: false },
      { specifier: './t', typeOnly: true },
    ]);
  });
});

describe('architecture', () => {
  it('reads the whole of src/ and resolves its relative imports', () => {
    expect(files.size).toBeGreaterThan(100);
    const unresolved = [...files.values()].flatMap((f) =>
      f.imports.filter((e) => e.specifier.startsWith('.') && !e.target && /\.tsx?$|\/[^./]+$/.test(e.specifier.replace(/\?.*$/, ''))).map((e) => `${f.path}: "${e.specifier}"`),
    );
    expectNone(unresolved, 'imports of source files that resolve to no file');
  });

  it('has no import cycle in src/ (type-only imports included)', () => {
    const problems = cyclicComponents(allImports).map((component) => {
      const cycle = shortestCycle(allImports, component);
      const others = component.filter((f) => !cycle.includes(f));
      return (
        `import cycle through ${component.length} file${component.length > 1 ? 's' : ''}; the shortest loop:\n    ${cycle.join('\n  → ')}` +
        (others.length ? `\n  and also in the cycle: ${others.join(', ')}` : '')
      );
    });
    expectNone(problems, 'import cycles');
  });

  it('keeps TF.js out of src/ui and src/state, directly or through value imports', () => {
    const importsTfjs = new Set([...files.values()].filter((f) => f.imports.some((e) => isTfjs(e.specifier) && !e.typeOnly)).map((f) => f.path));
    expect(importsTfjs.size, 'the engine and the worker import TF.js somewhere').toBeGreaterThan(0);
    const problems: string[] = [];
    for (const f of files.values()) {
      if (!inLayer(f.path, 'ui', 'state')) continue;
      const direct = f.imports.find((e) => isTfjs(e.specifier));
      if (direct) {
        problems.push(`${f.path} imports ${direct.specifier}`);
        continue;
      }
      for (const tf of importsTfjs) {
        const chain = shortestPath(valueImports, f.path, tf);
        if (chain) {
          problems.push(`${f.path} reaches TF.js through value imports:\n    ${chain.join('\n  → ')}\n  → ${files.get(tf)!.imports.find((e) => isTfjs(e.specifier))!.specifier}`);
          break;
        }
      }
    }
    expectNone(problems, 'TF.js under src/ui or src/state');
  });

  it('keeps the engine free of DOM globals', () => {
    const problems = [...files.values()]
      .filter((f) => inLayer(f.path, 'engine'))
      .flatMap((f) => [...f.code.matchAll(DOM_GLOBAL)].filter((m) => !declares(f.code, m[1])).map((m) => `${f.path}:${lineOf(f.code, m.index!)} uses the DOM global ${m[1]}`));
    expectNone(problems, 'DOM globals in src/engine');
  });

  it('keeps the engine from importing ui/, state/ or worker/', () => {
    const problems = [...files.values()]
      .filter((f) => inLayer(f.path, 'engine'))
      .flatMap((f) => f.imports.filter((e) => e.target && inLayer(e.target, 'ui', 'state', 'worker')).map((e) => `${f.path} imports ${e.target}`));
    expectNone(problems, 'the engine importing from ui/, state/ or worker/');
  });

  it('constructs Workers only in src/worker/', () => {
    const constructing = [...files.values()].filter((f) => !inLayer(f.path, 'worker'));
    const problems = constructing.flatMap((f) => [
      ...[...f.code.matchAll(NEW_WORKER)].map((m) => `${f.path}:${lineOf(f.code, m.index!)} constructs a ${m[1] ?? ''}Worker`),
      ...f.imports.filter((e) => /\?(shared)?worker\b/.test(e.specifier)).map((e) => `${f.path} imports "${e.specifier}" (a Worker constructor)`),
    ]);
    expectNone(problems, 'Workers constructed outside src/worker/');
  });
});
