/**
 * tsplay against the lab's real masters over SSH, as an operator runs it:
 * the cluster-status playbook on a healthy cluster, then with quorum lost
 * (two masters powered off), then after the lab is brought back. Also become
 * with a sudo password, and --check leaving every host untouched.
 */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { plainReporter } from '../../lib/output/plain.js';
import { LAB_INVENTORY, LAB_PASSWORD_SUDO_USER, LAB_USER_PASSWORD, REPO, ensureLabUp, lab, labExec, resetLab, verifyData } from '../helpers/lab.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const statusPlaybook = join(REPO, 'playbooks/cluster-status.yml');

async function play(playbook: string, extra: Partial<Parameters<typeof runPlaybook>[0]> = {}) {
  let out = '';
  const r = await runPlaybook({
    playbooks: [playbook],
    inventory: [LAB_INVENTORY],
    reporters: [plainReporter({ write: (s) => (out += s), verbosity: 0, diff: true, color: false })],
    ...extra,
  });
  return { ...r, out };
}

function expectExit(t: Test, r: { exitCode: number; out: string }, code: number, what: string) {
  t.equal(r.exitCode, code, what);
  if (r.exitCode !== code) t.comment(r.out);
}

t.before(async () => {
  await ensureLabUp();
});

t.test('a healthy cluster: every member reports, quorum holds, exit 0', async (t) => {
  const r = await play(statusPlaybook);
  expectExit(t, r, 0, 'exit code 0');
  for (const h of ['master-0', 'master-1', 'master-2']) {
    t.equal(r.stats[h].failed, 0);
    t.equal(r.stats[h].unreachable, 0);
    t.equal(r.stats[h].changed, 0, 'a status check changes nothing');
  }
  t.match(r.out, /https:\/\/127\.0\.10\.1:2379 is healthy/);
  t.match(r.out, /every etcd member is healthy/);
});

t.test('quorum lost: dead masters are UNREACHABLE, the survivor reports the loss, exit 4', async (t) => {
  const broke = await lab('break-quorum', '--keep', 'master-0');
  t.equal(broke.rc, 0, 'lab break-quorum');
  const r = await play(statusPlaybook);
  t.equal(r.exitCode, 4, 'unreachable hosts make it 4, even though master-0 also failed');
  t.equal(r.stats['master-1'].unreachable, 1);
  t.equal(r.stats['master-2'].unreachable, 1);
  t.equal(r.stats['master-0'].failed, 1, 'the quorum assertion fails on the survivor');
  t.match(r.out, /fatal: \[master-1\]: UNREACHABLE! => .*connection refused/);
  t.match(r.out, /etcd has lost quorum \(https:\/\/127\.0\.10\.\d:2379 is unhealthy/);
  const data = await verifyData({ serializable: true });
  t.equal(data.matching, 1000, 'the survivor still holds every key');
});

t.test('after reset the cluster is healthy again with all its data', async (t) => {
  await resetLab();
  const r = await play(statusPlaybook);
  expectExit(t, r, 0, 'exit code 0');
  const data = await verifyData();
  t.equal(data.matching, 1000);
  t.ok(data.checksumOk);
});

t.test('become with a sudo password and --check over SSH', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-lab-pb-'));
  const marker = '/root/tsplay-become-marker';
  await labExec('master-1', `rm -f ${marker}`);
  const pb = join(dir, 'become.yml');
  writeFileSync(
    pb,
    `- hosts: master-1
  gather_facts: false
  remote_user: ${LAB_PASSWORD_SUDO_USER}
  tasks:
    # Read-only probes run in check mode too, so the assertions below hold there.
    - command: id -un
      register: plain
      check_mode: false
    - command: id -un
      become: true
      register: root
      check_mode: false
    - shell: echo made > ${marker}
      args:
        creates: ${marker}
      become: true
    - assert:
        that:
          - plain.stdout == '${LAB_PASSWORD_SUDO_USER}'
          - root.stdout == 'root'
`,
  );
  const extraVars = { ansible_user: LAB_PASSWORD_SUDO_USER, ansible_become_password: LAB_USER_PASSWORD };
  const checked = await play(pb, { extraVars, check: true });
  expectExit(t, checked, 0, 'exit code 0 in check mode');
  t.equal((await labExec('master-1', `test -e ${marker}; echo $?`)).stdout.trim(), '1', '--check created nothing');
  const real = await play(pb, { extraVars });
  expectExit(t, real, 0, 'exit code 0');
  t.equal((await labExec('master-1', `cat ${marker}`)).stdout.trim(), 'made');
  const wrong = await play(pb, { extraVars: { ...extraVars, ansible_become_password: 'not-the-password' } });
  t.equal(wrong.exitCode, 2, 'a wrong sudo password fails the host');
  t.match(wrong.out, /incorrect sudo password for user 'root' on master-1/, 'the failure says the sudo password was wrong, and where');
});
