/**
 * Every module's tester table on a lab host, end to end: the real sshd,
 * systemd, haproxy and etcdctl of an OpenShift-shaped machine, logged in as
 * the lab's sudo user so that become really changes who runs. The same
 * tables as tables.test.ts (local) and tables-ssh.test.ts (a plain sshd),
 * but for the modules that read or write the controller's files: their cases
 * put those files in the host's scratch directory, which is the controller's
 * own disk only when the host is this machine (local and the plain sshd).
 * Then the cases only a real machine answers (tables-lab-real.ts): systemd
 * changing a real unit, haproxy_backend validated by haproxy itself and
 * reloading a running haproxy.
 */
import t from 'tap';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule } from '../../lib/testing/index.js';
import { LAB_SUDO_USER, ensureLabUp, labExec, labHostVars } from '../helpers/lab.js';
import { HAPROXY, SLEEPER, haproxyCases, systemdCases } from './tables-lab-real.js';
import { tables } from './tables/index.js';

await ensureLabUp();

const host = {
  name: 'master-0',
  vars: labHostVars('master-0'),
};

/** Modules whose tables use the controller's files (template's src, fetch's dest, include_vars, the inventory). */
const CONTROLLER_FILES = ['fetch', 'include_vars', 'inventory_file', 'template'];
/**
 * Modules whose programs the lab's Debian hosts do not have, as a RHEL host
 * has them: rpm and dnf for dnf, yum and rpm_key. Their tables run locally
 * and over the plain sshd, where .ci/run installs them (dnf in an installroot).
 */
const NOT_IN_LAB_IMAGE = ['dnf', 'yum', 'rpm_key'];
/**
 * Cases of other tables that need those programs (rpm, dnf), or whose set-up
 * reads a controller file by its path (unarchive's zip cases unpack the
 * controller's archive on the host), by name.
 */
const CASES_NOT_IN_LAB_IMAGE: Record<string, RegExp> = {
  unarchive: /^zip: /,
  package: /^use: dnf /,
  package_facts: /^rpm asked by name$/,
};

t.test('the modules and cases left to the local and plain-sshd tables are real', async (t) => {
  for (const name of [...CONTROLLER_FILES, ...NOT_IN_LAB_IMAGE]) t.ok(name in tables, name);
  for (const [name, pattern] of Object.entries(CASES_NOT_IN_LAB_IMAGE)) {
    const cases = (await tables[name]!()).default({ user: LAB_SUDO_USER });
    t.ok(cases.some((c) => pattern.test(c.name)), `${name}: ${pattern} names cases of its table`);
    t.ok(cases.some((c) => !pattern.test(c.name)), `${name}: other cases still run on the lab host`);
  }
});

const registry = new ModuleRegistry();
for (const [name, load] of Object.entries(tables).filter(([n]) => !CONTROLLER_FILES.includes(n) && !NOT_IN_LAB_IMAGE.includes(n))) {
  t.test(`${name} (lab host master-0)`, async (t) => {
    const def = await registry.get(name);
    const skip = CASES_NOT_IN_LAB_IMAGE[name];
    const cases = (await load()).default({ user: LAB_SUDO_USER }).filter((c) => !skip?.test(c.name));
    t.ok(cases.length > 0, 'the table has cases');
    for (const r of await testModule(def, cases, { host })) t.same(r.problems, [], r.name);
  });
}

t.test('real systemd and haproxy on the lab host', async (t) => {
  t.teardown(() => labExec('master-0', `systemctl disable --now ${SLEEPER} ${HAPROXY}; rm -f /etc/systemd/system/${SLEEPER} /etc/systemd/system/${HAPROXY}; systemctl daemon-reload`));
  for (const [name, cases] of [['systemd', systemdCases], ['haproxy_backend', haproxyCases]] as const) {
    const def = await registry.get(name);
    for (const r of await testModule(def, cases, { host })) t.same(r.problems, [], `${name}: ${r.name}`);
  }
});
