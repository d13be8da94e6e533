// The import graph of src/, read from the source text: enough of TypeScript's syntax to find every
// import, re-export and dynamic import, whether it is type-only, and which file or package it names.
// Used by architecture.test.ts; no compiler needed.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface ImportEdge {
  /** the specifier as written */
  specifier: string;
  /** a file under the root (posix path relative to it), or null for a package or a non-source file */
  target: string | null;
  /** `import type`, `export type`, `import { type A, type B }` or `typeof import(…)`: gone at run time */
  typeOnly: boolean;
}

export interface SourceFile {
  /** posix path relative to the root, e.g. "src/ui/App.tsx" */
  path: string;
  /** the text with comments and string contents blanked (imports are read before blanking) */
  code: string;
  imports: ImportEdge[];
}

const SOURCE = /\.(ts|tsx)$/;
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

const toPosix = (p: string) => p.split(sep).join('/');

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return listSources(full);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * Blank out comments, and (with `strings`) the contents of string and template literals, keeping
 * every line and column in place. Template literals' ${…} expressions stay code.
 */
export function blank(text: string, strings: boolean): string {
  const out = text.split('');
  const wipe = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const templateDepth: number[] = []; // brace depth at which each open ${ … } returns to its template
  let braces = 0;
  let i = 0;
  const scanTemplate = (start: number): number => {
    // from just after ` or }, to the closing ` (returns index after it) or the start of a ${
    let k = start;
    while (k < text.length && text[k] !== '`') {
      if (text[k] === '\\') k += 2;
      else if (text[k] === '$' && text[k + 1] === '{') {
        if (strings) wipe(start, k);
        templateDepth.push(braces);
        braces++;
        return k + 2;
      } else k++;
    }
    if (strings) wipe(start, k);
    return k + 1;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      wipe(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      wipe(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let k = i + 1;
      while (k < text.length && text[k] !== c && text[k] !== '\n') k += text[k] === '\\' ? 2 : 1;
      if (strings) wipe(i + 1, k);
      i = k + 1;
    } else if (c === '`') {
      i = scanTemplate(i + 1);
    } else if (c === '{') {
      braces++;
      i++;
    } else if (c === '}') {
      braces--;
      if (templateDepth.length && templateDepth[templateDepth.length - 1] === braces) {
        templateDepth.pop();
        i = scanTemplate(i + 1);
      } else i++;
    } else i++;
  }
  return out.join('');
}

// `import … from '…'`, `export … from '…'` (the clause may span lines), `import '…'`, `import('…')`
const STATIC = /(?:^|[;\n}])\s*(import|export)\s+([\w\s{},*$]*?)\s*from\s*['"]([^'"]+)['"]/g;
const BARE = /(?:^|[;\n}])\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /(typeof\s+)?\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function isTypeOnlyClause(keyword: string, clause: string): boolean {
  if (/^type\b/.test(clause)) return true; // import type …, export type …
  const named = clause.match(/^\{([\s\S]*)\}$/); // only a { … } list, no default or namespace import
  if (!named) return false;
  const specs = named[1].split(',').map((s) => s.trim()).filter(Boolean);
  return specs.length > 0 && specs.every((s) => /^type\s/.test(s)) && (keyword === 'import' || keyword === 'export');
}

export function parseImports(text: string): { specifier: string; typeOnly: boolean }[] {
  const code = blank(text, false);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  for (const m of code.matchAll(STATIC)) found.push({ specifier: m[3], typeOnly: isTypeOnlyClause(m[1], m[2].trim()) });
  for (const m of code.matchAll(BARE)) found.push({ specifier: m[1], typeOnly: false });
  for (const m of code.matchAll(DYNAMIC)) found.push({ specifier: m[2], typeOnly: !!m[1] });
  return found;
}

function resolveSpecifier(root: string, fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null; // a package
  const base = resolve(dirname(fromFile), specifier.replace(/\?.*$/, ''));
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    if (SOURCE.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return toPosix(relative(root, candidate));
  }
  return null; // css, json, wasm …
}

/** Every .ts/.tsx file under `dir` (relative to `root`), with its imports resolved. */
export function readSources(root: string, dir: string): Map<string, SourceFile> {
  const files = new Map<string, SourceFile>();
  for (const full of listSources(join(root, dir))) {
    const text = readFileSync(full, 'utf8');
    const imports = parseImports(text).map(({ specifier, typeOnly }) => ({ specifier, typeOnly, target: resolveSpecifier(root, full, specifier) }));
    const path = toPosix(relative(root, full));
    files.set(path, { path, code: blank(text, true), imports });
  }
  return files;
}

/** Strongly connected components with more than one file, or a file that imports itself (Tarjan). */
export function cyclicComponents(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** The shortest path from `from` to `to` (breadth first), as the list of files on it, or null. */
export function shortestPath(graph: Map<string, string[]>, from: string, to: string, within?: Set<string>): string[] | null {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (within && !within.has(w)) continue;
      if (w === to) {
        const path = [w];
        for (let u: string | null = v; u !== null; u = previous.get(u)!) path.unshift(u);
        return path;
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return null;
}

/** The shortest cycle through a component's files: a → b → … → a. */
export function shortestCycle(graph: Map<string, string[]>, component: string[]): string[] {
  const members = new Set(component);
  let best: string[] | null = null;
  for (const start of component) {
    const cycle = shortestPath(graph, start, start, members);
    if (cycle && (!best || cycle.length < best.length)) best = cycle;
  }
  return best ?? component;
}
