/**
 * The package modules through the real ansible-playbook 2.14 and tsplay, on
 * the same lab host (Debian 12) in the same start state: the same PLAY
 * RECAP, exit code, host lines (statuses) and registered result keys, the
 * same under --check, and the same packages installed at the end.
 *
 * The host's only package source is a repository the test builds
 * (tests/helpers/apt-repo.ts). ansible-playbook's apt module needs
 * python3-apt on the target, which the lab image does not have: the test
 * installs it from the same repository (the .deb files .ci/run downloads)
 * for the run and removes it afterwards, with everything else it installed.
 */
import t from 'tap';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PYTHON_APT_PACKAGES, REPO_ON_HOST, buildAptRepo, installAptRepo, pythonAptDebs, removeAptRepo } from '../helpers/apt-repo.js';
import { LAB_KEY, LAB_KNOWN_HOSTS, LAB_SUDO_USER, ensureLabUp, labAddress, labExec } from '../helpers/lab.js';
import { bothOutputs, buildCli, compatDir, exec, ansibleEnv, parseRecap, runTsplay, sameSections, type Run } from './helpers.js';

const HOST = 'master-0';

await ensureLabUp();
const dir = mkdtempSync(path.join(tmpdir(), 'tsplay-parity-packages-'));
const repo = buildAptRepo(dir, pythonAptDebs());
const inventory = path.join(dir, 'hosts');
writeFileSync(
  inventory,
  `${HOST} ansible_host=${labAddress(HOST)} ansible_user=${LAB_SUDO_USER} ansible_ssh_private_key_file=${LAB_KEY} ansible_python_interpreter=/usr/bin/python3 ansible_ssh_common_args='-o UserKnownHostsFile=${LAB_KNOWN_HOSTS} -o StrictHostKeyChecking=yes'\n`,
);
const cli = buildCli('parity-packages');

t.teardown(async () => {
  await removeAptRepo(HOST, PYTHON_APT_PACKAGES);
  rmSync(dir, { recursive: true, force: true });
});

/** The host as each tool finds it: the repository, python3-apt, none of the test's packages, lists never updated. */
async function startState(): Promise<void> {
  await removeAptRepo(HOST, PYTHON_APT_PACKAGES);
  await installAptRepo(HOST, repo);
  const r = await labExec(HOST, `cd ${REPO_ON_HOST} && DEBIAN_FRONTEND=noninteractive dpkg -i distro-info-data_*.deb python-apt-common_*.deb python3-apt_*.deb >/dev/null && touch -d @946684800 /var/lib/apt/lists`);
  if (r.rc !== 0) throw new Error(`python3-apt did not install on ${HOST}: ${r.stderr}`);
}

/** The test's packages on the host, as dpkg reports them (name, status, version). */
async function packagesOnHost(): Promise<string> {
  return (await labExec(HOST, "dpkg-query -W -f='${Package} ${db:Status-Abbrev}${Version}\\n' 'tsplay-*' 2>/dev/null | sort")).stdout;
}

async function both(args: string[]): Promise<{ ansible: Run; tsplay: Run; ends: { ansible: string; tsplay: string } }> {
  const pb = [path.join('playbooks', 'packages-apt.yml'), '-i', inventory, ...args];
  await startState();
  const ansible = await exec('ansible-playbook', pb, { cwd: compatDir, env: ansibleEnv });
  const ansibleEnd = await packagesOnHost();
  await startState();
  const tsplay = await runTsplay(cli, pb);
  const tsplayEnd = await packagesOnHost();
  return { ansible, tsplay, ends: { ansible: ansibleEnd, tsplay: tsplayEnd } };
}

t.test('apt: statuses, recap, registered keys and the packages left', async (t) => {
  const o = await both([]);
  const detail = bothOutputs(o);
  t.equal(o.ansible.code, 0, 'ansible-playbook ran the playbook', { detail });
  t.same(parseRecap(o.tsplay.stdout), parseRecap(o.ansible.stdout), 'same PLAY RECAP', { detail });
  t.equal(o.tsplay.code, o.ansible.code, 'same exit code');
  sameSections(t, o, { detail });
  t.equal(o.ends.tsplay, o.ends.ansible, 'the same packages at the end');
  t.equal(o.ends.tsplay, '', 'every test package gone: purged, removed, autoremoved');
});

t.test('apt --check: the same prediction, and nothing installed', async (t) => {
  const o = await both(['--check']);
  const detail = bothOutputs(o);
  t.same(parseRecap(o.tsplay.stdout), parseRecap(o.ansible.stdout), 'same PLAY RECAP', { detail });
  t.equal(o.tsplay.code, o.ansible.code, 'same exit code');
  sameSections(t, o, { detail });
  t.equal(o.ends.tsplay, '', 'tsplay installed nothing');
  t.equal(o.ends.ansible, '', 'nor did ansible-playbook');
});

t.test('service_facts and package_facts: the same facts', async (t) => {
  await startState();
  const read = async (tool: 'ansible' | 'tsplay') => {
    const workdir = path.join(dir, `facts-${tool}`);
    mkdirSync(workdir, { recursive: true });
    const args = [path.join('playbooks', 'packages-facts.yml'), '-i', inventory, '-e', `workdir=${workdir}`];
    const r = tool === 'ansible' ? await exec('ansible-playbook', args, { cwd: compatDir, env: ansibleEnv }) : await runTsplay(cli, args);
    t.equal(r.code, 0, `${tool} ran the playbook`, { detail: r.stdout + r.stderr });
    return JSON.parse(readFileSync(path.join(workdir, 'facts.json'), 'utf8')) as { services: Record<string, unknown>; packages: Record<string, Record<string, unknown>[]> };
  };
  const ansible = await read('ansible');
  const tsplay = await read('tsplay');
  t.ok(Object.keys(ansible.services).length > 10, 'Ansible found the services');
  t.same(tsplay.services, ansible.services, 'the same services, states and statuses');
  t.match(tsplay.services['etcd.service'], { state: 'running', status: 'enabled', source: 'systemd' });
  // The archive's Origin is python-apt's to read; tsplay says '' (docs/differences.md).
  const withoutOrigin = (p: typeof ansible.packages) => Object.fromEntries(Object.entries(p).map(([k, l]) => [k, l.map(({ origin: _o, ...rest }) => rest)]));
  t.ok(Object.keys(ansible.packages).length > 100, 'Ansible found the packages');
  t.same(withoutOrigin(tsplay.packages), withoutOrigin(ansible.packages), 'the same packages, versions, architectures and sections');
});
