/**
 * Keeps this package free of import cycles, type-only imports included:
 * between files, and between the folders of `src/` (`store/`, `engine/`,
 * `monitor/`, …), which depend on each other in one direction only (see
 * docs/architecture.md, "Where things live"). Tests and test utilities
 * take part in the file check only: they may reach across folders.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = __dirname;

/** Relative module specifiers a file imports or re-exports. */
function relativeImports(source: string): string[] {
  const withoutComments = source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const specifiers: string[] = [];
  const patterns = [
    /\bfrom\s+['"](\.{1,2}\/[^'"]*)['"]/g,
    /\bimport\s+['"](\.{1,2}\/[^'"]*)['"]/g,
    /\b(?:import|require)\s*\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of withoutComments.matchAll(pattern)) {
      specifiers.push(match[1]);
    }
  }
  return specifiers;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(full);
    }
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')
      ? [full]
      : [];
  });
}

function resolve(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
  ].find(
    candidate => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
  );
}

/** The import graph of a folder: file to the files it imports. */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(dir)) {
    const targets = relativeImports(fs.readFileSync(file, 'utf8'))
      .map(specifier => resolve(file, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * The cycles of a graph, one per strongly connected component of more than
 * one file (or a file importing itself), each as a path that returns to
 * its start.
 */
function findCycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, then one shortest cycle through each component.
  let index = 0;
  const indices = new Map<string, number>();
  const lowLinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (node: string) => {
    indices.set(node, index);
    lowLinks.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowLinks.set(node, Math.min(lowLinks.get(node)!, lowLinks.get(next)!));
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node)!, indices.get(next)!));
      }
    }
    if (lowLinks.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) {
        components.push(component);
      }
    }
  };
  for (const node of [...graph.keys()].sort()) {
    if (!indices.has(node)) {
      visit(node);
    }
  }

  return components.map(component => {
    const members = new Set(component);
    const start = [...component].sort()[0];
    // Breadth-first search for the shortest way back to `start`.
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const node = queue.shift()!;
      for (const next of graph.get(node) ?? []) {
        if (!members.has(next)) {
          continue;
        }
        if (next === start) {
          const cycle = [start];
          for (let at = node; at !== start; at = previous.get(at)!) {
            cycle.unshift(at);
          }
          cycle.unshift(start);
          return cycle;
        }
        if (!previous.has(next)) {
          previous.set(next, node);
          queue.push(next);
        }
      }
    }
    return [start, start];
  });
}

/**
 * The graph of the folders directly under `dir` (a file directly in it
 * stands for itself), from the files that are not tests or test utilities.
 */
function folderGraph(
  dir: string,
  files: Map<string, string[]>,
): Map<string, string[]> {
  const folderOf = (file: string) =>
    path.relative(dir, file).split(path.sep)[0];
  const isTest = (file: string) =>
    /\.test\.tsx?$/.test(file) ||
    file.split(path.sep).includes('__testUtils__');
  const graph = new Map<string, Set<string>>();
  for (const [file, targets] of files) {
    if (isTest(file)) {
      continue;
    }
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const target of targets) {
      const to = folderOf(target);
      if (to !== from && !isTest(target)) {
        edges.add(to);
      }
    }
  }
  return new Map([...graph].map(([folder, edges]) => [folder, [...edges]]));
}

describe('imports of the astro backend', () => {
  const files = importGraph(SRC);

  it('form no cycle between files', () => {
    const cycles = findCycles(files).map(cycle =>
      cycle.map(file => path.relative(SRC, file)).join(' -> '),
    );
    expect(cycles).toEqual([]);
  });

  it('form no cycle between the folders of src/', () => {
    const cycles = findCycles(folderGraph(SRC, files)).map(cycle =>
      cycle.join(' -> '),
    );
    expect(cycles).toEqual([]);
  });
});

describe('findCycles', () => {
  it('finds a cycle through several files and none in a tree', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    graph.set('c', []);
    expect(findCycles(graph)).toEqual([]);
  });

  it('reads type-only imports, re-exports and dynamic imports', () => {
    expect(
      relativeImports(
        [
          "import type { A } from './a';",
          "export { B } from '../b';",
          "import './c';",
          "const d = await import('./d');",
          "import { e } from 'external';",
          "// import { f } from './f';",
        ].join('\n'),
      ),
    ).toEqual(['./a', '../b', './c', './d']);
  });
});
