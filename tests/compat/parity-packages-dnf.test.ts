/**
 * dnf through the real ansible-playbook 2.14 (its dnf module, with Debian's
 * python3-dnf) and tsplay on this machine (`-c local`), each against its own
 * installroot, from a repository the test builds: the PLAY RECAP, exit code
 * and host lines, each task's changed, msg, results and rc, the packages
 * left; and --check (nothing installed by either).
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildRpmRepo } from '../helpers/rpm-repo.js';
import { bothOutputs, buildCli, parseRecap, runParityCase, sameSections, scratchDir } from './helpers.js';

const cli = buildCli('parity-packages-dnf');
const dir = scratchDir('tsplay-parity-dnf-');
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const repo = buildRpmRepo(dir);
// Ansible's dnf imports the dnf Python package: Debian's python3-dnf is for the system's python3.
const args = ['-i', 'localhost,', '-c', 'local', '-e', `dnf_conf=${repo.conf}`, '-e', 'ansible_python_interpreter=/usr/bin/python3'];

/**
 * The packages in a root's rpm database. Debian's rpm keeps the database under $HOME, and ansible-playbook runs with
 * a HOME of its own (tests/helpers/hermetic-config), so the database is looked for under the root.
 */
function installed(root: string): string[] {
  const db = (dir: string): string | undefined => {
    for (const e of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
      if (e.isFile() && e.name === 'rpmdb.sqlite') return dir;
      if (e.isDirectory() && !e.isSymbolicLink() && !['usr', 'proc'].includes(e.name)) {
        const found = db(path.join(dir, e.name));
        if (found) return found;
      }
    }
    return undefined;
  };
  const found = db(root);
  if (!found) return [];
  const out = execFileSync('rpm', ['--dbpath', found, '-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}\\n'], { env: { ...process.env, LC_ALL: 'C' } }).toString();
  return out.split('\n').filter(Boolean).sort();
}

t.test('dnf: the same recap, host lines, results and packages', async (t) => {
  const o = await runParityCase(cli, { playbook: 'packages-dnf.yml', args });
  const detail = bothOutputs(o);
  t.equal(o.ansible.code, 0, 'ansible-playbook ran', { detail });
  t.same(parseRecap(o.tsplay.stdout), parseRecap(o.ansible.stdout), 'same PLAY RECAP', { detail });
  t.equal(o.tsplay.code, o.ansible.code, 'same exit code');
  sameSections(t, o, { detail });
  const results = (w: string) => JSON.parse(readFileSync(path.join(w, 'results.json'), 'utf8'));
  t.same(results(o.workdirs.tsplay), results(o.workdirs.ansible), "each task's changed, msg, results and rc", { detail });
  t.same(installed(path.join(o.workdirs.tsplay, 'root')), installed(path.join(o.workdirs.ansible, 'root')), 'the same packages left');
  t.same(installed(path.join(o.workdirs.tsplay, 'root')), ['tsplay-demo-2.0-1', 'tsplay-lib-1.0-1'], 'the ones asked for');
});

t.test('dnf --check: the same prediction, nothing installed', async (t) => {
  const o = await runParityCase(cli, { playbook: 'packages-dnf.yml', args: [...args, '--check'] });
  const detail = bothOutputs(o);
  t.same(parseRecap(o.tsplay.stdout), parseRecap(o.ansible.stdout), 'same PLAY RECAP', { detail });
  t.same(installed(path.join(o.workdirs.tsplay, 'root')), [], 'tsplay installed nothing');
  t.same(installed(path.join(o.workdirs.ansible, 'root')), [], 'nor did ansible-playbook');
});
