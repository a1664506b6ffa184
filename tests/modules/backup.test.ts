// backup over the local connection: a dated directory with full paths, the
// same day twice changes nothing, a changed file is copied again, an archive.
import t from 'tap';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { runTask, snapshot, tempDir } from './helpers.js';

const today = execFileSync('date', ['+%Y%m%d']).toString().trim();

t.test('backup: copy, second run, a change, an archive', async (t) => {
  const dir = tempDir(t);
  const etc = path.join(dir, 'etc', 'etcd');
  mkdirSync(etc, { recursive: true });
  writeFileSync(path.join(etc, 'etcd.conf'), 'ETCD_NAME=a\n');
  writeFileSync(path.join(etc, 'ca.crt'), 'CERT\n');
  const dest = path.join(dir, 'backup', 'etcd-config-%Y%m%d');
  const task = { backup: { paths: [etc, path.join(dir, 'nope*')], dest } };

  const before = snapshot(dir);
  const dry = await runTask(task, { check: true });
  t.equal(dry.status, 'changed');
  t.strictSame(snapshot(dir), before, 'check mode copies nothing');

  const first = await runTask(task);
  t.equal(first.status, 'changed', first.msg);
  const out = path.join(dir, 'backup', `etcd-config-${today}`);
  t.equal(first.result.dest, out, "the host's date in the name");
  t.same(first.result.saved, [etc]);
  t.equal(readFileSync(path.join(out, etc, 'etcd.conf'), 'utf8'), 'ETCD_NAME=a\n', 'kept under its full path');
  t.match(first.warnings.join('\n'), /nope\* does not exist/);

  t.equal((await runTask(task)).status, 'ok', 'the same day, the same content: no change');
  writeFileSync(path.join(etc, 'etcd.conf'), 'ETCD_NAME=b\n');
  const again = await runTask(task);
  t.equal(again.status, 'changed');
  t.same(again.result.copied, [etc]);
  t.equal(readFileSync(path.join(out, etc, 'etcd.conf'), 'utf8'), 'ETCD_NAME=b\n');

  const packed = await runTask({ backup: { paths: [etc], dest: path.join(dir, 'b2', '%Y%m%d'), archive: true, keep_dir: false } });
  t.equal(packed.status, 'changed', packed.msg);
  const tgz = path.join(dir, 'b2', `${today}.tar.gz`);
  t.ok(existsSync(tgz));
  t.notOk(existsSync(path.join(dir, 'b2', today)), 'the directory removed once packed');
  t.match(execFileSync('tar', ['-tzf', tgz]).toString(), /etc\/etcd\/etcd\.conf/);
  t.equal((await runTask({ backup: { paths: [etc], dest: path.join(dir, 'b2', '%Y%m%d'), archive: true, keep_dir: false } })).status, 'ok');
  t.match((await runTask({ backup: { paths: ['relative'], dest: '/x' } })).msg, /module 'backup'.*paths/);
});

t.test('backup: a symlink planted at the archive temp file\'s old name is not written through', async (t) => {
  const dir = tempDir(t);
  const etc = path.join(dir, 'etc');
  mkdirSync(etc);
  writeFileSync(path.join(etc, 'a.conf'), 'a\n');
  const victim = path.join(dir, 'victim');
  writeFileSync(victim, 'keep\n');
  const today = execFileSync('date', ['+%Y%m%d']).toString().trim();
  mkdirSync(path.join(dir, 'b'));
  const tgz = path.join(dir, 'b', `${today}.tar.gz`);
  symlinkSync(victim, `${tgz}.tmp`);
  const r = await runTask({ backup: { paths: [etc], dest: path.join(dir, 'b', '%Y%m%d'), archive: true, keep_dir: false } });
  t.equal(r.status, 'changed', r.msg);
  t.equal(readFileSync(victim, 'utf8'), 'keep\n', 'the file the link points to is untouched');
  t.ok(lstatSync(`${tgz}.tmp`).isSymbolicLink(), 'the planted link is left as it was');
  t.match(execFileSync('tar', ['-tzf', tgz]).toString(), /etc\/a\.conf/, 'the archive is in place');
  t.same(readdirSync(path.join(dir, 'b')).sort(), [`${today}.tar.gz`, `${today}.tar.gz.tmp`], 'no temp file left');
});
