/**
 * A dedicated etcd host that is down during a quorum restore keeps its
 * inventory line (`lab up --etcd-hosts 3`): the restore moves etcd-2 from
 * [etcd] to [new_etcd] with its variables, as openshift-ansible's scaleup
 * wants a host that is not a member yet; once the operator has repaired it,
 * add-etcd-member.yml -e host=etcd-2 finds it there, joins it and moves the
 * line back to [etcd]. Run with the inventory the lab writes (short names
 * with openshift_hostname) and with the one an operator writes (FQDNs).
 * The default lab is restored at the end.
 */
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { etcdEndpointsOf, labUpWith, restoreDefaultLab } from '../helpers/lab.js';
import { assertDataReadBack, digest, runWatched } from '../helpers/procedure-tester.js';
import { ADD_MEMBER, RESTORE, iniGroup, iniGroupLines, memberNames } from './helpers.js';
import { labOk } from './scenarios.js';
import { DEDICATED, fqdn, freshCluster, healthyMembers } from './topology.js';

t.setTimeout(1_800_000);

const MEMBERS = ['etcd-0', 'etcd-1', 'etcd-2'];

t.before(async () => {
  await labUpWith(...DEDICATED.flags);
});

t.teardown(restoreDefaultLab);

for (const flavour of [
  { name: 'the lab inventory (short names)', fqdnFlag: false, host: (h: string) => h },
  { name: 'the operator inventory (FQDNs)', fqdnFlag: true, host: fqdn },
]) {
  t.test(`${flavour.name}: etcd-2 down during the restore waits in [new_etcd] with its variables; repaired, add-etcd-member.yml moves it back`, async (t) => {
    const inventory = await freshCluster(DEDICATED, { fqdn: flavour.fqdnFlag });
    const original = readFileSync(inventory, 'utf8');
    const etcd2 = flavour.host('etcd-2');
    const line = iniGroupLines(original, 'etcd').find((l) => l.split(/\s+/)[0] === etcd2);
    t.match(line, /ansible_host=\S+ .*openshift_ip=\S+/, "etcd-2's [etcd] line carries its variables");
    t.same(iniGroupLines(original, 'new_etcd'), [], 'no [new_etcd] to begin with');

    // Quorum lost keeping etcd-1; etcd-0 back without its data; etcd-2 stays powered off.
    await labOk('break-quorum', '--keep', 'etcd-1');
    await labOk('wipe-etcd', 'etcd-0');
    await labOk('start', 'etcd-0');

    const restored = await runWatched(RESTORE, inventory, []);
    t.notOk(restored.hung, 'the restore ends by itself');
    t.equal(restored.rc, 0, 'the restore exits 0');
    if (restored.rc !== 0) t.comment(digest(restored), restored.stderr.slice(-2000));
    t.same(await healthyMembers(DEDICATED), ['etcd-0', 'etcd-1'], 'etcd-0 and etcd-1 healthy');
    await assertDataReadBack(t, 'after the restore');
    const afterRestore = readFileSync(inventory, 'utf8');
    t.same(iniGroup(afterRestore, 'etcd'), ['etcd-0', 'etcd-1'].map(flavour.host), '[etcd] lists the members');
    t.same(iniGroupLines(afterRestore, 'new_etcd'), [line], '[new_etcd] has etcd-2 with exactly its line');
    const backups = readdirSync(dirname(inventory)).filter((f) => /^hosts\..+~$/.test(f));
    t.equal(backups.length, 1, 'one backup of the inventory beside it');
    t.equal(readFileSync(join(dirname(inventory), backups[0] ?? 'none'), 'utf8'), original, 'the backup is the inventory as it was before the restore');
    t.ok(iniGroup(afterRestore.replace('[OSEv3:children]', '[osev3-children]'), 'osev3-children').includes('new_etcd'), '[OSEv3:children] lists new_etcd');
    t.match(restored.stdout, new RegExp(`add-etcd-member\\.yml -i ${inventory.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -e host=HOST`), 'the summary prints the command that adds it back');

    // The operator repairs etcd-2: powered on, its old data gone.
    await labOk('start', 'etcd-2');
    await labOk('wipe-etcd', 'etcd-2');

    const args = ['-e', `host=${etcd2}`];
    const added = await runWatched(ADD_MEMBER, inventory, args);
    t.equal(added.rc, 0, 'add-etcd-member.yml exits 0');
    if (added.rc !== 0) t.comment(digest(added), added.stderr.slice(-2000));
    t.same(await healthyMembers(DEDICATED), MEMBERS, 'three healthy members');
    t.same(await memberNames('etcd-0', etcdEndpointsOf(MEMBERS)), MEMBERS.map(fqdn), 'the member list names the three etcd hosts');
    await assertDataReadBack(t, 'after the add');
    const afterAdd = readFileSync(inventory, 'utf8');
    t.same(iniGroupLines(afterAdd, 'etcd'), iniGroupLines(original, 'etcd'), '[etcd] is back as it was: etcd-2 with its variables');
    t.same(iniGroupLines(afterAdd, 'new_etcd'), [], '[new_etcd] is empty');

    const again = await runWatched(ADD_MEMBER, inventory, args);
    t.equal(again.rc, 0, 'again: exit code 0');
    t.same(again.changed, [], 'again: changed=0');
    t.equal(readFileSync(inventory, 'utf8'), afterAdd, 'again: the inventory unchanged');
  });
}
