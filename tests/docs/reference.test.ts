/**
 * docs/modules/ holds the module reference generated from the modules'
 * definitions (`npm run docs`). It must be current: regenerate into a scratch
 * folder and compare, page by page.
 */
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docCommand } from '../../lib/cli/doc-command.js';
import { GENERATED_MARK } from '../../lib/cli/doc-markdown.js';
import { builtinModuleNames, ModuleRegistry } from '../../lib/module/registry.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOCS = join(REPO, 'docs/modules');
process.chdir(REPO);

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), isTTY: false }, out, err };
}

const generated = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.md') && readFileSync(join(dir, f), 'utf8').startsWith(GENERATED_MARK)).sort();

t.test('docs/modules/ is what `npm run docs` generates now', async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), 'tsplay-docs-'));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  const { io: i } = io();
  t.equal(await docCommand(['--markdown', '--out', scratch], i), 0);
  const want = generated(scratch);
  t.same(want, ['README.md', ...builtinModuleNames.map((n) => `${n}.md`)].sort(), 'one page per built-in module and an index');
  const have = generated(DOCS);
  const stale = [
    ...want.filter((f) => !have.includes(f)).map((f) => `missing: docs/modules/${f}`),
    ...have.filter((f) => !want.includes(f)).map((f) => `no longer generated: docs/modules/${f}`),
    ...want.filter((f) => have.includes(f) && readFileSync(join(DOCS, f), 'utf8') !== readFileSync(join(scratch, f), 'utf8')).map((f) => `out of date: docs/modules/${f}`),
  ];
  t.same(stale, [], stale.length ? `the module reference is not current: run npm run docs\n${stale.join('\n')}` : 'current');
});

t.test('the hand-written guides in docs/modules/ stay, and are linked from the index', async (t) => {
  const guides = readdirSync(DOCS).filter((f) => f.endsWith('.md') && !generated(DOCS).includes(f));
  t.ok(guides.includes('ansible-core.md') && guides.includes('procedures.md') && guides.includes('templates.md'), guides.join(', '));
  const index = readFileSync(join(DOCS, 'README.md'), 'utf8');
  for (const g of guides) t.match(index, `(${g})`, `the index links ${g}`);
});

t.test('--out never overwrites a hand-written page and removes generated pages whose module is gone', async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), 'tsplay-docs-'));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  writeFileSync(join(scratch, 'guide.md'), '# mine\n');
  writeFileSync(join(scratch, 'gone.md'), `${GENERATED_MARK}\n\n# gone\n`);
  const a = io();
  t.equal(await docCommand(['--markdown', '--out', scratch, 'debug'], a.io), 0);
  t.same(readdirSync(scratch).sort(), ['README.md', 'debug.md', 'guide.md']);
  t.equal(readFileSync(join(scratch, 'guide.md'), 'utf8'), '# mine\n');
  writeFileSync(join(scratch, 'fail.md'), '# my notes on fail\n');
  const b = io();
  await t.rejects(docCommand(['--markdown', '--out', scratch, 'fail'], b.io), /fail\.md is a hand-written page/);
  t.equal(readFileSync(join(scratch, 'fail.md'), 'utf8'), '# my notes on fail\n');
});

t.test('every argument of every built-in module says what it does', async (t) => {
  const registry = new ModuleRegistry();
  const missing: string[] = [];
  for (const name of builtinModuleNames) {
    const def = await registry.get(name);
    const props = (def.schema as { properties?: Record<string, { description?: string }> }).properties ?? {};
    for (const [arg, spec] of Object.entries(props)) if (!spec.description?.trim()) missing.push(`${name}: ${arg}`);
  }
  t.same(missing, [], 'no argument row without a description in docs/modules');
});
