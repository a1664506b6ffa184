/**
 * The starting points the fault scenarios share. Each is set up from a reset
 * lab (procedure-tester's prepare), never from another scenario's end.
 */
import { lab, labExec } from '../helpers/lab.js';
import type { Scenario } from '../helpers/procedure-tester.js';
import { ADD_MEMBER, RESTORE } from './helpers.js';

export const NAMES = ['master-0.example.com', 'master-1.example.com', 'master-2.example.com'];

export async function labOk(...args: string[]) {
  const r = await lab(...args);
  if (r.rc !== 0) throw new Error(`lab ${args.join(' ')} failed (rc ${r.rc}): ${r.stderr}`);
}

/** Quorum lost keeping master-1; master-0 and master-2 back from repair without their etcd data. */
export const quorumLost: Scenario = {
  playbook: RESTORE,
  setup: async () => {
    await labOk('break-quorum', '--keep', 'master-1');
    for (const h of ['master-0', 'master-2']) {
      await labOk('wipe-etcd', h);
      await labOk('start', h);
    }
  },
};

/**
 * A healthy 2-member cluster (master-0, master-1) and master-2 repaired
 * without its etcd data, removed from the member list: what
 * add-etcd-member.yml -e host=master-2 is for.
 */
export const memberToAdd: Scenario = {
  playbook: ADD_MEMBER,
  args: ['-e', 'host=master-2'],
  setup: async () => {
    const list = await labExec('master-0', 'etcdctl3 --endpoints=https://127.0.10.1:2379 member list | grep master-2 | cut -d, -f1');
    const id = list.stdout.trim();
    if (!/^[0-9a-f]+$/.test(id)) throw new Error(`no member id for master-2: ${list.stdout}${list.stderr}`);
    // etcd refuses membership changes for about 5 s after a member started (a
    // fresh reset): retried, as etcdctl's own answer says, up to a minute.
    let removed = await labExec('master-0', `etcdctl3 --endpoints=https://127.0.10.1:2379 member remove ${id}`);
    for (let i = 0; removed.rc !== 0 && /unhealthy cluster/.test(removed.stderr) && i < 60; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      removed = await labExec('master-0', `etcdctl3 --endpoints=https://127.0.10.1:2379 member remove ${id}`);
    }
    if (removed.rc !== 0) throw new Error(`member remove failed: ${removed.stderr}`);
    await labOk('wipe-etcd', 'master-2');
  },
};
