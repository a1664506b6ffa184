/**
 * The import graph of lib/, modules/ and bin/: no cycles (type imports
 * included), no layer importing from one above it, and built-in modules
 * importing only the module layer (the kit).
 */
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Lower numbers are lower layers; a file may import its own layer or lower ones. */
const LAYERS: Array<[prefix: string, rank: number]> = [
  ['lib/errors.ts', 0],
  ['lib/suggest.ts', 0],
  ['lib/util/', 0],
  // Vault decryption: errors and util only.
  ['lib/vault/', 0.5],
  // Reading YAML as Ansible does (guards, tags, vault, unsafe): below everything that reads files.
  ['lib/yaml/', 1.5],
  ['lib/connection/', 1],
  ['lib/template/', 1],
  // ansible.cfg and ANSIBLE_* settings: errors and util only.
  ['lib/config/', 1],
  ['lib/formats/', 1],
  ['lib/schema/', 1],
  ['lib/inventory/', 2],
  ['lib/output/', 2],
  ['lib/module/', 3],
  // A built-in module's own library (etcdctl lines, quorum arithmetic): the kit and nothing above it.
  ['lib/etcd/', 3.5],
  // Reading run records for `tsplay audit`: the record's format, nothing of the engine.
  ['lib/audit/', 3],
  ['lib/playbook/', 4],
  ['lib/engine/', 5],
  ['lib/testing/', 6],
  ['lib/cli/', 6],
  ['lib/index.ts', 7],
  ['modules/', 7],
  ['bin/', 8],
];

function rank(file: string): number {
  const hit = LAYERS.find(([p]) => file === p || file.startsWith(p));
  if (!hit) throw new Error(`no layer for ${file}: add it to LAYERS`);
  return hit[1];
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir))) {
    const p = join(dir, e);
    if (statSync(join(ROOT, p)).isDirectory()) out.push(...sources(p));
    else if (/\.(c?ts|tsx)$/.test(e) && !e.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = [...sources('lib'), ...sources('modules'), ...sources('bin')];
const graph = new Map<string, string[]>();
for (const f of files) {
  const text = readFileSync(join(ROOT, f), 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]);
  const deps = specs.map((s) => {
    const abs = relative(ROOT, resolve(ROOT, dirname(f), s)).replace(/\.js$/, '');
    const hit = [`${abs}.ts`, `${abs}.tsx`, `${abs}/index.ts`].find((c) => files.includes(c));
    if (!hit) throw new Error(`${f}: cannot find ${s}`);
    return hit;
  });
  graph.set(f, deps);
}

t.test('no import cycles', async (t) => {
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || graph.get(v)!.includes(v)) cycles.push(comp.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  t.same(cycles, [], 'files that import each other, directly or around a loop');
});

t.test('no layer imports from a layer above it', async (t) => {
  const up: string[] = [];
  for (const [f, deps] of graph) for (const d of deps) if (rank(d) > rank(f)) up.push(`${f} -> ${d}`);
  t.same(up, []);
});

t.test('built-in modules import only the module layer', async (t) => {
  const other: string[] = [];
  const kitOnly = (d: string) => d.startsWith('lib/module/');
  // A module's own library counts as part of it, so it too may use the kit only.
  const ownLibrary = (d: string) => d.startsWith('lib/etcd/');
  for (const [f, deps] of graph) {
    if (f.startsWith('modules/')) for (const d of deps) if (!kitOnly(d) && !ownLibrary(d)) other.push(`${f} -> ${d}`);
    if (ownLibrary(f)) for (const d of deps) if (!kitOnly(d) && !ownLibrary(d)) other.push(`${f} -> ${d}`);
  }
  t.same(other, []);
});
