/**
 * What the archive module writes, read back with the real tools (tar, unzip,
 * gzip, xz): the members and their bytes; check mode writes nothing; a
 * second run changes nothing; the module's collection name is the same module.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { collectionNameOf } from '../../lib/module/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-archive-extract-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'src/sub'), { recursive: true });
writeFileSync(join(dir, 'src/a.txt'), 'a\n');
writeFileSync(join(dir, 'src/sub/b.txt'), 'b\n');
writeFileSync(join(dir, 'src/skip.log'), 'log\n');
writeFileSync(join(dir, 'app.log'), 'line one\nline two\n');

/** Every file under a directory, by relative path, with its text. */
function files(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

const inventory = { all: { hosts: { localhost: { ansible_connection: 'local' } } } };
const tasks = [
  { archive: { path: `${dir}/src`, dest: `${dir}/tree.tar.gz` } },
  { [collectionNameOf('archive')!]: { path: `${dir}/src/*`, dest: `${dir}/glob.zip`, format: 'zip', exclusion_patterns: ['*.log'] } },
  { archive: { path: `${dir}/app.log` } },
  { archive: { path: [`${dir}/src/a.txt`, `${dir}/src/sub`], dest: `${dir}/two.tar.xz`, format: 'xz' } },
  { archive: { path: `${dir}/src/sub/b.txt`, dest: `${dir}/one.tar.bz2`, format: 'bz2', force_archive: true } },
];
const playbook = { plays: [{ hosts: 'localhost', gather_facts: false, tasks }] };
const outputs = ['tree.tar.gz', 'glob.zip', 'app.log.gz', 'two.tar.xz', 'one.tar.bz2'];

function extract(name: string, args: string[], tool = 'tar'): Record<string, string> {
  const x = join(dir, `x-${name}`);
  mkdirSync(x);
  execFileSync(tool, tool === 'unzip' ? ['-q', join(dir, name), '-d', x] : [...args, join(dir, name), '-C', x]);
  return files(x);
}

t.test('check mode predicts every archive and writes none', async (t) => {
  const r = await runPlaybook({ inventory, playbook, check: true });
  t.equal(r.exitCode, 0, JSON.stringify(r.failures));
  t.equal(r.stats.localhost.changed, tasks.length);
  for (const o of outputs) t.notOk(existsSync(join(dir, o)), `${o} not written`);
  t.same(readdirSync(dir).filter((n) => n.startsWith('.tsplay-archive')), [], 'no temp left');
});

t.test('the archives hold the sources, as Ansible names the members', async (t) => {
  const r = await runPlaybook({ inventory, playbook });
  t.equal(r.exitCode, 0, JSON.stringify(r.failures));
  t.equal(r.stats.localhost.changed, tasks.length);
  t.same(extract('tree.tar.gz', ['-xzf']), { 'src/a.txt': 'a\n', 'src/skip.log': 'log\n', 'src/sub/b.txt': 'b\n' }, 'a directory: its tree under its own name');
  t.same(extract('glob.zip', [], 'unzip'), { 'a.txt': 'a\n', 'sub/b.txt': 'b\n' }, 'a glob: members below the common directory, the pattern left out');
  t.equal(execFileSync('gzip', ['-dc', join(dir, 'app.log.gz')]).toString(), 'line one\nline two\n', 'one file: compressed');
  t.same(extract('two.tar.xz', ['-xJf']), { 'a.txt': 'a\n', 'sub/b.txt': 'b\n' }, 'xz');
  t.same(extract('one.tar.bz2', ['-xjf']), { 'b.txt': 'b\n' }, 'force_archive of one file');
  t.same(readdirSync(dir).filter((n) => n.startsWith('.tsplay-archive')), [], 'no temp left');
});

t.test('a second run changes nothing; a changed source writes the archive again', async (t) => {
  const again = await runPlaybook({ inventory, playbook });
  t.equal(again.stats.localhost.changed, 0, 'unchanged sources: ok');
  writeFileSync(join(dir, 'src/sub/b.txt'), 'b, longer now\n');
  const changed = await runPlaybook({ inventory, playbook });
  // tree, glob.zip, two.tar.xz and one.tar.bz2 hold b.txt; app.log.gz does not.
  t.equal(changed.stats.localhost.changed, 4);
  t.equal(execFileSync('tar', ['-xOjf', join(dir, 'one.tar.bz2'), 'b.txt']).toString(), 'b, longer now\n');
});
