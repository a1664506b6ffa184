/**
 * The same tester tables as tables.test.ts, over SSH against a real sshd:
 * the login user is an unprivileged user with sudo, so become really
 * changes who runs (gather_facts with become reports root).
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule } from '../../lib/testing/index.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, TEST_USER } from '../helpers/sshd.js';
import { tables } from './tables/index.js';

ensureTestUsers();
const dir = tempDir('tables-ssh');
const key = makeKey(dir, 'id_ed25519');
const sshd = await startSshd({ address: '127.0.20.60', authorized: { [TEST_USER]: [key.line] } });
const knownHosts = join(dir, 'known_hosts');
writeFileSync(knownHosts, sshd.knownHostsLines().join('\n') + '\n');
t.teardown(() => sshd.stop());

const host = {
  name: 'sshhost',
  vars: {
    ansible_host: sshd.address,
    ansible_port: sshd.port,
    ansible_user: TEST_USER,
    ansible_ssh_private_key_file: key.private,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
  },
};

const registry = new ModuleRegistry();
for (const [name, load] of Object.entries(tables)) {
  t.test(`${name} (ssh)`, async (t) => {
    const def = await registry.get(name);
    const cases = (await load()).default({ user: TEST_USER });
    for (const r of await testModule(def, cases, { host })) t.same(r.problems, [], r.name);
  });
}

t.test('gather_facts with become: true reports root; without, the login user', async (t) => {
  const { runPlaybook } = await import('../../lib/engine/run.js');
  for (const become of [true, false]) {
    const facts: Record<string, unknown>[] = [];
    const r = await runPlaybook({
      inventory: { all: { hosts: { [host.name]: host.vars } } },
      playbook: { plays: [{ hosts: 'all', become, gather_facts: true, tasks: [{ debug: { var: 'ansible_user_id' } }, { debug: { var: 'ansible_facts.user_uid' } }] }] },
      reporters: [(e) => e.type === 'host_result' && facts.push(e.result)],
    });
    t.equal(r.exitCode, 0);
    t.equal(facts[1].ansible_user_id, become ? 'root' : TEST_USER);
    // debug var= of a dotted name prints text, as ansible-playbook 2.14 does ("ansible_facts.user_uid": "0").
    t.equal(facts[2]['ansible_facts.user_uid'], become ? '0' : String((await import('../helpers/sshd.js')).uidOf(TEST_USER)));
  }
});
