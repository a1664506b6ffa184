/**
 * The package modules that need no package manager, through the real
 * ansible-playbook 2.14 and tsplay on this machine (`-c local`), each in its
 * own empty directory: yum_repository's files byte for byte, the PLAY
 * RECAP, exit code and host lines, and --check (nothing written).
 * apt and the facts modules run on a lab host: parity-packages.test.ts.
 */
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bothOutputs, buildCli, parseRecap, runParityCase, sameSections } from './helpers.js';

const cli = buildCli('parity-packages-local');
const local = ['-i', 'localhost,', '-c', 'local'];

const files = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

t.test('yum_repository: the same .repo files, recap and host lines', async (t) => {
  const o = await runParityCase(cli, { playbook: 'packages-yum-repository.yml', args: local });
  const detail = bothOutputs(o);
  t.equal(o.ansible.code, 0, 'ansible-playbook ran', { detail });
  t.same(parseRecap(o.tsplay.stdout), parseRecap(o.ansible.stdout), 'same PLAY RECAP', { detail });
  t.equal(o.tsplay.code, o.ansible.code, 'same exit code');
  sameSections(t, o, { detail });
  t.same(files(o.workdirs.tsplay), files(o.workdirs.ansible), 'the same files, byte for byte');
  t.ok(existsSync(path.join(o.workdirs.tsplay, 'epel.repo')), 'epel.repo written');
});

t.test('yum_repository --check: the same prediction, nothing written', async (t) => {
  const o = await runParityCase(cli, { playbook: 'packages-yum-repository.yml', args: [...local, '--check'] });
  const detail = bothOutputs(o);
  t.same(parseRecap(o.tsplay.stdout), parseRecap(o.ansible.stdout), 'same PLAY RECAP', { detail });
  sameSections(t, o, { detail });
  t.same(readdirSync(o.workdirs.tsplay), [], 'tsplay wrote nothing');
  t.same(readdirSync(o.workdirs.ansible), [], 'nor did ansible-playbook');
});
