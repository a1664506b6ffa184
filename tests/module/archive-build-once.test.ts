/**
 * The archive module builds an archive once per run: into a temp directory
 * beside dest, compared there with dest, then renamed over it (a change) or
 * removed (no change). Counted with wrappers around the host's real tar and
 * zip that log each call; the archives are read back with the real tools,
 * and nothing is left beside dest, in check mode or not.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-archive-once-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'src'));
mkdirSync(join(dir, 'out'));
mkdirSync(join(dir, 'bin'));
writeFileSync(join(dir, 'src/a.txt'), 'a\n');
const log = join(dir, 'calls.log');

// Wrappers that log their arguments, then run the real program.
for (const tool of ['tar', 'zip']) {
  const real = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
  const wrapper = join(dir, 'bin', tool);
  writeFileSync(wrapper, `#!/bin/sh\necho "${tool} $*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(wrapper, 0o755);
}

const inventory = { all: { hosts: { localhost: { ansible_connection: 'local' } } } };
const environment = { PATH: `${join(dir, 'bin')}:${process.env.PATH}` };

async function run(archive: Record<string, unknown>, check = false) {
  writeFileSync(log, '');
  const playbook = { plays: [{ hosts: 'localhost', gather_facts: false, tasks: [{ archive, environment }] }] };
  const r = await runPlaybook({ inventory, playbook, check });
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { r, builds: calls.filter((c) => c.startsWith('zip ') || (c.startsWith('tar ') && / -c /.test(c))).length };
}

const leftovers = () => readdirSync(join(dir, 'out')).filter((n) => n.startsWith('.tsplay-archive'));
const members = (file: string) => execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();

t.test('a new tar.gz is built once, renamed into place, and nothing is left beside it', async (t) => {
  const dest = join(dir, 'out/tree.tar.gz');
  const { r, builds } = await run({ path: join(dir, 'src'), dest });
  t.equal(r.exitCode, 0, JSON.stringify(r.failures));
  t.equal(r.stats.localhost.changed, 1);
  t.equal(builds, 1, 'one tar -c');
  t.same(members(dest), ['src/a.txt']);
  t.same(leftovers(), [], 'no temp directory left');
});

t.test('the same members again: built once to compare, discarded, nothing changed', async (t) => {
  const { r, builds } = await run({ path: join(dir, 'src'), dest: join(dir, 'out/tree.tar.gz') });
  t.equal(r.stats.localhost.changed, 0);
  t.equal(builds, 1);
  t.same(leftovers(), []);
});

t.test('check mode with a change: built once under the temp folder, dest and its directory untouched', async (t) => {
  writeFileSync(join(dir, 'src/b.txt'), 'b\n');
  const dest = join(dir, 'out/tree.tar.gz');
  const { r, builds } = await run({ path: join(dir, 'src'), dest }, true);
  t.equal(r.stats.localhost.changed, 1);
  t.equal(builds, 1);
  t.same(members(dest), ['src/a.txt'], 'dest as it was');
  t.same(readdirSync(join(dir, 'out')), ['tree.tar.gz'], 'nothing else in its directory');
});

t.test('a changed member: built once, and that build is what dest holds', async (t) => {
  const dest = join(dir, 'out/tree.tar.gz');
  const { r, builds } = await run({ path: join(dir, 'src'), dest });
  t.equal(r.stats.localhost.changed, 1);
  t.equal(builds, 1);
  t.same(members(dest), ['src/a.txt', 'src/b.txt']);
  t.same(leftovers(), []);
});

t.test('zip: one zip call for a new archive, one for an unchanged one', async (t) => {
  const dest = join(dir, 'out/tree.zip');
  const first = await run({ path: join(dir, 'src'), dest, format: 'zip' });
  t.equal(first.r.stats.localhost.changed, 1);
  t.equal(first.builds, 1);
  t.ok(existsSync(dest));
  const again = await run({ path: join(dir, 'src'), dest, format: 'zip' });
  t.equal(again.r.stats.localhost.changed, 0);
  t.equal(again.builds, 1);
  t.same(leftovers(), []);
});
