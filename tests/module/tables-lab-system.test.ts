/**
 * The user, access and system modules on a lab host, changing real state:
 * accounts made and removed with the host's own useradd, usermod, userdel,
 * groupadd, and the host's name through hostnamectl. The tester runs each case in check mode (nothing changes),
 * applies it, and runs it again (nothing left to change). Everything the
 * cases made is removed at the end.
 */
import t from 'tap';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule } from '../../lib/testing/index.js';
import { ensureLabUp, labExec, labHostVars } from '../helpers/lab.js';
import { CLEANUP, groupCases, hostnameCases, RESTORE_HOSTNAME, userCases } from './tables-lab-system.js';

await ensureLabUp();

const host = {
  name: 'master-0',
  vars: labHostVars('master-0'),
};

const registry = new ModuleRegistry();
t.teardown(() => labExec('master-0', `${CLEANUP}; ${RESTORE_HOSTNAME}`));

for (const [name, cases] of [
  ['user', userCases],
  ['group', groupCases],
  ['hostname', hostnameCases],
] as const) {
  t.test(`${name} changing a real system (lab host master-0)`, async (t) => {
    const def = await registry.get(name);
    for (const r of await testModule(def, cases, { host })) t.same(r.problems, [], r.name);
  });
}
