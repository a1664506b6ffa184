/**
 * reboot on a real lab host: master-2's systemd reboots (`shutdown -r`), its
 * container boots again from the same disk, and tsplay waits until the boot
 * id has changed and the test command answers. The next task runs on the
 * new connection; etcd on master-2 is healthy again afterwards. Also the
 * failures a user meets: a test command that never succeeds, a reboot
 * command that fails, a boot-time command that fails, unknown options, and
 * check mode, which reboots nothing.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { plainReporter } from '../../lib/output/plain.js';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule, type ModuleCase } from '../../lib/testing/index.js';
import { LAB_INVENTORY, ensureLabUp, lab, labExec, labHostVars, labStatus } from '../helpers/lab.js';

const HOST = 'master-2';
const dir = mkdtempSync(join(tmpdir(), 'tsplay-reboot-lab-'));

interface HostStatus { name: string; state: string; rebootReturns?: boolean; etcd?: { healthy: boolean } }
const hostStatus = async (): Promise<HostStatus | undefined> => ((await labStatus()).hosts as HostStatus[]).find((h) => h.name === HOST);
const bootId = async () => (await labExec(HOST, 'cat /proc/sys/kernel/random/boot_id')).stdout.trim();

/** Polls until master-2 runs with a healthy etcd member (bounded far above a loaded machine's reboot). */
async function untilHealthy(what: string): Promise<void> {
  const end = Date.now() + 240_000;
  let last: HostStatus | undefined;
  while (Date.now() < end) {
    last = await hostStatus();
    if (last?.state === 'running' && last.etcd?.healthy) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what}: ${HOST} is not running with a healthy etcd (${JSON.stringify(last)})`);
}

async function play(yaml: string, check = false) {
  const pb = join(dir, `play-${Date.now()}.yml`);
  writeFileSync(pb, yaml);
  let out = '';
  const r = await runPlaybook({
    playbooks: [pb],
    inventory: [LAB_INVENTORY],
    check,
    reporters: [plainReporter({ write: (s) => (out += s), verbosity: 1, diff: false, color: false })],
  });
  return { ...r, out };
}

await ensureLabUp();
// A host that an earlier lab booted without the launcher that brings a rebooted host back: power it off and on once.
if (!(await hostStatus())?.rebootReturns) {
  await lab('kill', HOST);
  const started = await lab('start', HOST);
  if (started.rc !== 0) throw new Error(`lab start ${HOST}: ${started.stderr}`);
}
await untilHealthy('before the test');

t.teardown(async () => {
  // The lab stays as found: a host a failed reboot left off is started again, and etcd is healthy.
  if ((await hostStatus())?.state === 'stopped') await lab('start', HOST);
  await untilHealthy('after the test');
});

t.test('reboot: the host really reboots, comes back, and the next task runs on the new connection', async (t) => {
  const before = await bootId();
  const out = join(dir, 'result.json');
  const r = await play(`- hosts: ${HOST}
  gather_facts: false
  tasks:
    - name: reboot master-2
      reboot:
        msg: tsplay lab test
        connect_timeout: 5
      register: rebooted
    - name: read the boot id on the new connection
      command: cat /proc/sys/kernel/random/boot_id
      register: after
      changed_when: false
    - name: etcd is active again
      command: systemctl is-active etcd
      register: etcd
      changed_when: false
      until: etcd.rc == 0
      retries: 60
      delay: 2
    - copy:
        content: "{{ {'rebooted': rebooted, 'after': after.stdout} | to_json }}"
        dest: ${out}
      delegate_to: localhost
`);
  t.equal(r.exitCode, 0, 'exit code 0');
  if (r.exitCode !== 0) t.comment(r.out);
  t.equal(r.stats[HOST].changed, 2, 'the reboot and the copy of its result report a change, nothing else');
  t.equal(r.stats[HOST].failed, 0);
  t.equal(r.stats[HOST].unreachable, 0);
  t.match(r.out, /changed: \[master-2\]/);
  const got = JSON.parse(readFileSync(out, 'utf8')) as { rebooted: Record<string, unknown>; after: string };
  t.comment(`reboot took ${String(got.rebooted.elapsed)} s`);
  t.equal(got.rebooted.rebooted, true, 'rebooted: true');
  t.equal(got.rebooted.changed, true, 'changed: true');
  t.type(got.rebooted.elapsed, 'number', 'elapsed is a number');
  t.ok(Number.isInteger(got.rebooted.elapsed), 'elapsed is whole seconds');
  t.match(got.after, /^[0-9a-f-]{36}$/, 'the task after the reboot read a boot id');
  t.not(got.after, before, 'the boot id changed');
  t.equal(await bootId(), got.after, 'the host still runs the boot the next task saw');
  await untilHealthy('after the reboot');
  const status = await hostStatus();
  t.equal(status?.etcd?.healthy, true, 'etcd on master-2 is healthy again');
  t.equal(status?.rebootReturns, true, 'lab status still sees a host whose reboot returns');
});

t.test('--check: reported changed, nothing reboots', async (t) => {
  const before = await bootId();
  const r = await play(`- hosts: ${HOST}
  gather_facts: false
  tasks:
    - reboot:
`, true);
  t.equal(r.exitCode, 0);
  t.equal(r.stats[HOST].changed, 1, 'check mode predicts the change');
  t.equal(await bootId(), before, 'the host did not reboot');
});

t.test('a test command that never succeeds: Ansible\'s message once reboot_timeout runs out', async (t) => {
  const before = await bootId();
  const r = await play(`- hosts: ${HOST}
  gather_facts: false
  tasks:
    - reboot:
        test_command: /bin/false
        reboot_timeout: 20
        connect_timeout: 5
    - name: never reached
      command: "true"
`);
  t.equal(r.exitCode, 2, 'exit code 2: a task failed');
  t.equal(r.stats[HOST].failed, 1);
  t.match(r.out, /Timed out waiting for post-reboot test command \(timeout=20\)/);
  t.notMatch(r.out, /never reached/, 'the play stops on the host');
  // The host did reboot (Ansible's result says rebooted: true); it is back with a new boot.
  await untilHealthy('after the failed test command');
  t.not(await bootId(), before, 'the host rebooted');
});

const connection = {
  name: HOST,
  vars: labHostVars(HOST),
};

// Failures before anything reboots; each is checked in check mode (reported changed, nothing read) and for real.
const failures: ModuleCase[] = [
  {
    name: "a boot-time command that fails: Ansible's message, nothing reboots",
    become: true,
    args: { boot_time_command: 'echo out; echo err >&2; exit 3' },
    plan: { changed: true },
    checkResult: { rebooted: true, elapsed: 0 },
    applied: { changed: false, failed: /^reboot: failed to get host boot time info, rc: 3, stdout: out\n, stderr: err\n$/ },
  },
  {
    name: 'a reboot command that fails: rebooted false and its output',
    become: true,
    args: { reboot_command: '/bin/sh -c "echo no; exit 1"' },
    plan: { changed: true },
    applied: { changed: false, failed: /^Reboot command failed\. Error was: 'no, '$/ },
    result: { rebooted: false },
  },
  {
    name: 'a reboot command found in no search path',
    become: true,
    args: { reboot_command: 'tsplay-no-such-reboot now', search_paths: ['/sbin', '/usr/sbin'] },
    plan: { changed: true },
    applied: { changed: false, failed: /^Unable to find command "tsplay-no-such-reboot" in search paths: \['\/sbin', '\/usr\/sbin'\]$/ },
  },
  {
    name: "an option reboot does not know: Ansible's message, outside check mode only",
    args: { reboot_timeout_sec: 5 },
    plan: { changed: true },
    applied: { changed: false, failed: /^Invalid options for reboot: reboot_timeout_sec$/ },
  },
];

t.test('failures before the reboot, on a real host', async (t) => {
  const before = await bootId();
  const def = await new ModuleRegistry().get('reboot');
  for (const r of await testModule(def, failures, { host: connection })) t.same(r.problems, [], r.name);
  t.equal(await bootId(), before, 'nothing rebooted');
});
