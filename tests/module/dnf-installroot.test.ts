/**
 * dnf and yum for real, on this machine's own dnf, against an installroot
 * in each case's scratch folder and a repository the test builds (rpmbuild,
 * createrepo_c): install, pin a version, upgrade to latest, remove, a
 * dependency, repositories enabled and disabled for one task, and errors.
 * Each case is checked in check mode (the prediction, nothing installed),
 * for real (the packages' files under the root) and again (nothing left to
 * change). The controller's own rpm database and dnf configuration are
 * never used: every command names the root and the test's dnf.conf.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countRoundTrips, total } from '../../bench/round-trip-counter.js';
import { runPlaybook } from '../../lib/engine/run.js';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule, type ModuleCase } from '../../lib/testing/index.js';
import { buildRpmRepo } from '../helpers/rpm-repo.js';
import { TEST_USER, ensureTestUsers, makeKey, startSshd } from '../helpers/sshd.js';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-dnf-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const repo = buildRpmRepo(dir);

const root = '{{ test_dir }}/root';
/**
 * Every case's root starts as an empty rpm database. dnf keeps its own
 * bookkeeping (metadata cache, logs, history) under the installroot and
 * writes it even with --assumeno, as Ansible's dnf does in check mode, and
 * SQLite rewrites the rpm database's shared-memory index on every read
 * (rpm -q too). So the root is a link out of the scratch folder, and check
 * mode's "nothing installed" is asserted with rpm -q in the playbook tests
 * below rather than by the tester's snapshot of the scratch folder.
 */
const prepare = [`real="${dir}/roots/$(basename "$PWD")"`, 'mkdir -p "$real"', 'ln -s "$real" root', 'rpm --root "$PWD/root" --initdb'].join(' && ');
const base = { installroot: root, conf_file: repo.conf };
/** dnf on the case's root, for a case's start state. */
const dnf = (sub: string) => `LC_ALL=C dnf -q -y -c ${repo.conf} --installroot="$PWD/root" ${sub} >/dev/null 2>&1`;
const demo = 'root/usr/share/tsplay-demo/version';

const cases: ModuleCase[] = ([
  {
    name: 'a missing package is installed',
    args: { ...base, name: 'tsplay-demo' },
    plan: { changed: true },
    checkResult: { msg: 'Check mode: No changes made, but would have if not in check mode', results: ['Installed: tsplay-demo-2.0-1.noarch'], rc: 0 },
    result: { msg: '', results: ['Installed: tsplay-demo-2.0-1.noarch'], rc: 0 },
    expect: { [demo]: '2.0\n' },
  },
  {
    name: 'name-version installs that version',
    args: { ...base, name: ['tsplay-demo-1.0'], state: 'installed' },
    plan: { changed: true },
    result: { results: ['Installed: tsplay-demo-1.0-1.noarch'] },
    expect: { [demo]: '1.0\n' },
  },
  {
    name: 'present leaves an older installed version alone, in one look',
    setup: dnf('install tsplay-demo-1.0'),
    args: { ...base, name: 'tsplay-demo' },
    plan: { changed: false },
    result: { msg: 'Nothing to do', results: [], rc: 0 },
    expect: { [demo]: '1.0\n' },
  },
  {
    name: 'name-version older than the installed one is left alone (no downgrade, as Ansible)',
    setup: dnf('install tsplay-demo'),
    args: { ...base, name: ['tsplay-demo-1.0', 'tsplay-lib'] },
    plan: { changed: true },
    result: { results: ['Installed: tsplay-lib-1.0-1.noarch'] },
    expect: { [demo]: '2.0\n', 'root/usr/share/tsplay-lib/version': '1.0\n' },
  },
  {
    name: 'latest upgrades, and names the version it replaces',
    setup: dnf('install tsplay-demo-1.0'),
    args: { ...base, name: 'tsplay-demo', state: 'latest' },
    plan: { changed: true },
    result: { results: ['Installed: tsplay-demo-2.0-1.noarch', 'Removed: tsplay-demo-1.0-1.noarch'] },
    expect: { [demo]: '2.0\n' },
  },
  {
    name: 'latest with the newest installed changes nothing',
    setup: dnf('install tsplay-demo'),
    args: { ...base, name: 'tsplay-demo', state: 'latest' },
    plan: { changed: false },
    result: { msg: 'Nothing to do' },
  },
  {
    name: 'a dependency comes with the package',
    args: { ...base, pkg: 'tsplay-app' },
    plan: { changed: true },
    result: { results: ['Installed: tsplay-app-1.0-1.noarch', 'Installed: tsplay-lib-1.0-1.noarch'] },
    expect: { 'root/usr/share/tsplay-app/version': '1.0\n', 'root/usr/share/tsplay-lib/version': '1.0\n' },
  },
  {
    name: 'absent removes the package',
    setup: dnf('install tsplay-demo'),
    args: { ...base, name: 'tsplay-demo', state: 'absent' },
    plan: { changed: true },
    result: { results: ['Removed: tsplay-demo-2.0-1.noarch'] },
    expect: { [demo]: null },
  },
  {
    name: 'absent leaves the dependencies the package pulled in, as Ansible',
    setup: dnf('install tsplay-app'),
    args: { ...base, name: 'tsplay-app', state: 'absent' },
    plan: { changed: true },
    result: { results: ['Removed: tsplay-app-1.0-1.noarch'] },
    expect: { 'root/usr/share/tsplay-app/version': null, 'root/usr/share/tsplay-lib/version': '1.0\n' },
  },
  {
    name: 'removed: a package that is not installed is left alone',
    args: { ...base, name: 'tsplay-demo', state: 'removed' },
    plan: { changed: false },
    result: { msg: 'Nothing to do' },
  },
  {
    name: 'a repository enabled for the task, its signature check off',
    args: { ...base, name: 'tsplay-lib', disablerepo: 'tsplay', enablerepo: ['tsplay-signed'], disable_gpg_check: true, update_cache: true },
    plan: { changed: true },
    expect: { 'root/usr/share/tsplay-lib/version': '1.0\n' },
  },
  {
    name: 'a package from no enabled repository is an error naming it',
    args: { ...base, name: ['tsplay-lib', 'tsplay-no-such'], disablerepo: '*', enablerepo: 'tsplay' },
    plan: { changed: false, failed: /Failed to install some of the specified packages/ },
    expect: { 'root/usr/share/tsplay-lib/version': null },
  },
  {
    name: 'update_cache alone refreshes the metadata and changes nothing',
    args: { ...base, update_cache: true },
    plan: { changed: false },
    result: { msg: 'Cache updated', results: [], rc: 0 },
  },
] as ModuleCase[]).map((c) => ({ ...c, setup: c.setup ? `${prepare} && ${c.setup}` : prepare }));

const registry = new ModuleRegistry();

// Over SSH: a real sshd, an unprivileged login user, dnf run as root through sudo (become).
ensureTestUsers();
const key = makeKey(dir, 'id_ed25519');
const sshd = await startSshd({ address: '127.0.20.71', authorized: { [TEST_USER]: [key.line] } });
t.teardown(() => sshd.stop());
const knownHosts = join(dir, 'known_hosts');
writeFileSync(knownHosts, sshd.knownHostsLines().join('\n') + '\n');
const sshVars = {
  ansible_host: sshd.address,
  ansible_port: sshd.port,
  ansible_user: TEST_USER,
  ansible_ssh_private_key_file: key.private,
  ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
};

for (const name of ['dnf', 'yum']) {
  t.test(`${name} against an installroot, from a local repository`, async (t) => {
    const def = await registry.get(name);
    // yum runs the cases that install; dnf all of them.
    const mine = name === 'dnf' ? cases : cases.slice(0, 4);
    for (const r of await testModule(def, mine, {})) t.same(r.problems, [], r.name);
  });
}

t.test('dnf over SSH with become', async (t) => {
  const def = await registry.get('dnf');
  const mine = cases.map((c) => ({ ...c, become: true }));
  for (const r of await testModule(def, mine, { host: { name: 'sshhost', vars: sshVars } })) t.same(r.problems, [], r.name);
});

/** What rpm has installed in a root ('package X is not installed' lines included). */
function rpmQ(rootDir: string, names: string[]): string {
  try {
    return execFileSync('rpm', ['--root', rootDir, '-q', ...names], { env: { ...process.env, LC_ALL: 'C' } }).toString();
  } catch (e) {
    return String((e as { stdout?: Buffer }).stdout ?? '');
  }
}

t.test('over SSH: check mode installs, upgrades and removes nothing; a second run with nothing to change takes one round trip', async (t) => {
  const rootDir = join(dir, 'playbook-root');
  execFileSync('rpm', ['--root', rootDir, '--initdb']);
  const inventory = { all: { hosts: { sshhost: sshVars } } };
  const play = (task: Record<string, unknown>) => ({ plays: [{ hosts: 'sshhost', gather_facts: false, become: true, tasks: [{ dnf: { installroot: rootDir, conf_file: repo.conf, ...task } }] }] });
  const install = play({ name: ['tsplay-demo-1.0', 'tsplay-app'] });
  const check = await runPlaybook({ inventory, playbook: install, check: true });
  t.equal(check.stats.sshhost.changed, 1, 'check mode reports the change');
  t.equal(rpmQ(rootDir, ['tsplay-demo', 'tsplay-lib']), 'package tsplay-demo is not installed\npackage tsplay-lib is not installed\n', 'and installs nothing');
  const real = await runPlaybook({ inventory, playbook: install });
  t.equal(real.stats.sshhost.changed, 1);
  t.equal(rpmQ(rootDir, ['tsplay-demo', 'tsplay-lib']), 'tsplay-demo-1.0-1.noarch\ntsplay-lib-1.0-1.noarch\n', 'the version asked for, and the dependency');
  let again: Awaited<ReturnType<typeof runPlaybook>> | undefined;
  const trips = await countRoundTrips(async () => (again = await runPlaybook({ inventory, playbook: install })));
  t.equal(again!.stats.sshhost.changed, 0, 'a second run changes nothing');
  // The whole run is one command on the host: the rpm -q probe rides with the connection's become check.
  t.equal(total(trips), 1, `dnf with nothing to change is one round trip (${trips.log.join('; ')})`);

  for (const [what, task] of [['upgrade', { name: 'tsplay-demo', state: 'latest' }], ['removal', { name: 'tsplay-app', state: 'absent' }]] as const) {
    const r = await runPlaybook({ inventory, playbook: play(task), check: true });
    t.equal(r.stats.sshhost.changed, 1, `check mode reports the ${what}`);
    t.equal(rpmQ(rootDir, ['tsplay-demo', 'tsplay-app']), 'tsplay-demo-1.0-1.noarch\ntsplay-app-1.0-1.noarch\n', `and makes no ${what}`);
  }
});
