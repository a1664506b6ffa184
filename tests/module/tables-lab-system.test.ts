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
import { LAB_KEY, LAB_KNOWN_HOSTS, LAB_SUDO_USER, ensureLabUp, labAddress, labExec } from '../helpers/lab.js';
import { CLEANUP, groupCases, hostnameCases, RESTORE_HOSTNAME, userCases } from './tables-lab-system.js';

await ensureLabUp();

const host = {
  name: 'master-0',
  vars: {
    ansible_host: labAddress('master-0'),
    ansible_user: LAB_SUDO_USER,
    ansible_ssh_private_key_file: LAB_KEY,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${LAB_KNOWN_HOSTS} -o StrictHostKeyChecking=yes`,
  },
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
