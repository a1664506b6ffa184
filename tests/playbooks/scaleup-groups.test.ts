/**
 * An operator's inventory in the middle of a scaleup: openshift-ansible's
 * `[new_masters]`, `[new_etcd]` and `[new_nodes]` groups list a host that is
 * up but was never added (no etcd, no master). Those groups mean "to be
 * added by the scaleup playbooks", so the recovery playbooks leave the host
 * alone: the lab is built from the inventory (`lab up --like`), quorum is
 * lost keeping one master, and restore-quorum.yml ends with the three
 * members healthy and every key read back, without touching the pending
 * host or its lines in the inventory. The default lab is restored at the end.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labExec, labTopologyStatus, labUpWith, printedInventory, restoreDefaultLab } from '../helpers/lab.js';
import { assertDataReadBack, digest, runWatched } from '../helpers/procedure-tester.js';
import { RESTORE, iniGroup } from './helpers.js';
import { labOk } from './scenarios.js';

t.setTimeout(900_000);
t.teardown(restoreDefaultLab);

const MASTERS = [1, 2, 3].map((i) => `ocp-master${i}.ocp.corp.example`);
const PENDING = 'ocp-master4.ocp.corp.example';
const OPERATOR = `[OSEv3:children]
masters
nodes
etcd
new_masters
new_etcd
new_nodes

[OSEv3:vars]
openshift_deployment_type=openshift-enterprise
openshift_release=v3.11

[masters]
ocp-master[1:3].ocp.corp.example

[etcd]
ocp-master[1:3].ocp.corp.example

[nodes]
ocp-master[1:3].ocp.corp.example openshift_node_group_name='node-config-master'

[new_masters]
${PENDING}

[new_etcd]
${PENDING}

[new_nodes]
${PENDING} openshift_node_group_name='node-config-master'
`;

/** The hosts a group lists, with `name[1:3]` ranges written out, sorted. */
function groupHosts(text: string, group: string): string[] {
  return iniGroup(text, group)
    .flatMap((h) => {
      const m = /^(.*)\[(\d+):(\d+)\](.*)$/.exec(h);
      if (!m) return [h];
      return Array.from({ length: Number(m[3]) - Number(m[2]) + 1 }, (_, i) => `${m[1]}${Number(m[2]) + i}${m[4]}`);
    })
    .sort();
}

t.test('restore-quorum.yml with a host pending in [new_masters]/[new_etcd]: the members restored, the pending host untouched', async (t) => {
  const src = join(mkdtempSync(join(tmpdir(), 'tsplay-scaleup-')), 'hosts');
  writeFileSync(src, OPERATOR);
  const inventory = printedInventory(await labUpWith('--like', src))!;
  const before = readFileSync(inventory, 'utf8');
  const pendingBefore = await labExec(PENDING, 'ls -A /etc/etcd /etc/origin/master 2>&1; md5sum /etc/hosts');

  await labOk('break-quorum', '--keep', MASTERS[1]);
  for (const h of [MASTERS[0], MASTERS[2]]) {
    await labOk('wipe-etcd', h);
    await labOk('start', h);
  }
  const run = await runWatched(RESTORE, inventory, []);
  t.notOk(run.hung, 'the restore ends by itself');
  t.equal(run.rc, 0, 'the restore exits 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  const st = await labTopologyStatus();
  t.same(st.hosts.filter((h) => h.etcd?.healthy).map((h) => h.inventoryName).sort(), MASTERS, 'the three masters are healthy members');
  await assertDataReadBack(t, 'after the restore');
  t.notOk(run.events.some((e) => e.type === 'host_result' && e.host === PENDING), 'no task ran on the pending host');
  t.equal((await labExec(PENDING, 'ls -A /etc/etcd /etc/origin/master 2>&1; md5sum /etc/hosts')).stdout, pendingBefore.stdout, 'its files are as they were');
  const after = readFileSync(inventory, 'utf8');
  for (const group of ['new_masters', 'new_etcd', 'new_nodes']) t.same(groupHosts(after, group), groupHosts(before, group), `[${group}] is as it was`);
  t.same(groupHosts(after, 'etcd'), MASTERS, '[etcd] lists the three masters again');
});
