/**
 * reboot through the real ansible-playbook 2.14 and tsplay on the same lab
 * host (master-2), one tool after the other: a check run (nothing reboots),
 * then a real run with a reboot that succeeds and one whose test command
 * never does. Compared: exit codes and recaps, each task's status, the
 * registered results, and that each real reboot gave the host a new boot id.
 * etcd on master-2 is healthy again before the file ends.
 */
import t from 'tap';
import path from 'node:path';
import { ansibleEnv, buildCli, compatDir, exec, parseRecap, parseSections, runTsplay, type Run } from './helpers.js';
import { LAB_INVENTORY, ensureLabUp, lab, labExec, labStatus } from '../helpers/lab.js';

const HOST = 'master-2';

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

await ensureLabUp();
// A host an earlier lab booted without the launcher that brings a rebooted host back: power it off and on once.
if (!(await hostStatus())?.rebootReturns) {
  await lab('kill', HOST);
  await lab('start', HOST);
}
await untilHealthy('before the test');
t.teardown(async () => {
  if ((await hostStatus())?.state === 'stopped') await lab('start', HOST);
  await untilHealthy('after the test');
});

const cli = buildCli('parity-reboot');
type Tool = 'ansible' | 'tsplay';

function run(tool: Tool, args: string[] = []): Promise<Run> {
  const argv = [path.join('playbooks', 'reboot.yml'), '-i', LAB_INVENTORY, '--limit', HOST, ...args];
  return tool === 'ansible' ? exec('ansible-playbook', argv, { cwd: compatDir, env: ansibleEnv }) : runTsplay(cli, argv);
}

function statuses(r: Run): string[] {
  return parseSections(r.stdout)
    .filter((s) => s.banner.startsWith('TASK'))
    .map((s) => `${s.banner}: ${s.lines.map((l) => `${/^(\w+)/.exec(l)?.[1]}${l.includes('...ignoring') ? ' (ignored)' : ''}`).join(',')}`);
}

function results(r: Run): unknown {
  const section = parseSections(r.stdout).find((s) => s.banner === 'TASK [the results]');
  const line = section?.lines[0] ?? '';
  try {
    return JSON.parse(line.slice(line.indexOf('=> ') + 3));
  } catch {
    return `unparsable: ${line}`;
  }
}

interface Outcome { check: Run; real: Run; bootIds: string[] }

async function exercise(tool: Tool): Promise<Outcome> {
  const first = await bootId();
  const check = await run(tool, ['--check']);
  const afterCheck = await bootId();
  const real = await run(tool);
  await untilHealthy(`after ${tool}'s run`);
  return { check, real, bootIds: [first, afterCheck, await bootId()] };
}

const ansible = await exercise('ansible');
const tsplay = await exercise('tsplay');

for (const phase of ['check', 'real'] as const) {
  t.test(`${phase} run`, async (t) => {
    const a = ansible[phase];
    const b = tsplay[phase];
    const detail = `\n--- ansible-playbook\n${a.stdout}${a.stderr}\n--- tsplay\n${b.stdout}${b.stderr}`;
    t.ok(Object.keys(parseRecap(a.stdout)).length > 0, 'ansible-playbook ran the host', { detail });
    t.same(parseRecap(b.stdout), parseRecap(a.stdout), 'same PLAY RECAP', { detail });
    t.equal(b.code, a.code, 'same exit code', { detail });
    t.same(statuses(b), statuses(a), 'same status for every task', { detail });
    t.same(results(b), results(a), 'same registered results', { detail });
  });
}

t.test('check mode rebooted nothing; the real runs rebooted the host', async (t) => {
  for (const [tool, o] of [['ansible', ansible], ['tsplay', tsplay]] as const) {
    t.equal(o.bootIds[1], o.bootIds[0], `${tool}: --check left the boot id`);
    t.not(o.bootIds[2], o.bootIds[1], `${tool}: the real run gave a new boot id`);
  }
  t.match(results(ansible.real), { msg: { fail_msg: 'Timed out waiting for post-reboot test command (timeout=15)', fail_rebooted: true, ok_rebooted: true, ok_changed: true, fail_failed: true, ok_elapsed_is_integer: true } }, "Ansible's own result, which tsplay's matches");
});
