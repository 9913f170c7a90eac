/**
 * The layers of `src/` import only downward, and no file takes part in an import cycle:
 *
 *   private → aws → gate (public vocabulary) → engine → rules → report → front-ends → index
 *   constructs sit beside the gate: they import only private and aws (and each other).
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const SRC = join(__dirname, '..', 'src');

const RANK: { [layer: string]: number } = {
  'private': 0, 'aws': 1, 'gate': 2, 'engine': 3, 'rules': 4, 'report': 5, 'front-ends': 6, 'cli': 6, 'constructs': 6, 'index.ts': 9,
};
/** What constructs may import: the neutral layers only, never the gate. */
const CONSTRUCTS_MAY_IMPORT = new Set(['private', 'aws', 'constructs']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

function layerOf(file: string): string {
  return relative(SRC, file).split(/[\\/]/)[0];
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)) {
    const target = resolve(dirname(file), match[1]);
    for (const candidate of [`${target}.ts`, join(target, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile()) {
          found.push(candidate);
          break;
        }
      } catch {
        // not this one
      }
    }
  }
  return found;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map(f => [f, importsOf(f)]));

test('every file of src/ belongs to a known layer', () => {
  expect(files.map(layerOf).filter(layer => RANK[layer] === undefined)).toEqual([]);
});

test('imports only point down (constructs import only private and aws)', () => {
  const upward: string[] = [];
  for (const [file, imports] of graph) {
    const from = layerOf(file);
    for (const target of imports) {
      const to = layerOf(target);
      const allowed = from === 'constructs' ? CONSTRUCTS_MAY_IMPORT.has(to) : RANK[to] <= RANK[from] && !(to === 'constructs' && from !== 'index.ts');
      if (!allowed) {
        upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
  }
  expect(upward).toEqual([]);
});

test('no import cycles', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'visiting') {
        cycles.push(stack.slice(stack.indexOf(target)).concat(target).map(f => relative(SRC, f)).join(' -> '));
      } else if (state.get(target) === undefined) {
        visit(target);
      }
    }
    stack.pop();
    state.set(file, 'done');
  };
  files.forEach(f => state.get(f) === undefined && visit(f));
  expect(cycles).toEqual([]);
});

test('the walker sees the imports it judges (a check that can fail)', () => {
  const session = join(SRC, 'engine', 'evaluation.ts');
  expect(graph.get(session)!.map(f => relative(SRC, f))).toEqual(expect.arrayContaining([join('engine', 'app-index.ts')]));
});
