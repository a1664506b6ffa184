/**
 * playbooks/restore-quorum.yml on the lab's 3 masters, as an operator runs it
 * at 3 a.m.: quorum lost with master-1 the only member left, master-0 and
 * master-2 back from repair without their etcd data.
 *   3. --check --diff first: no byte changes on any host or on the controller,
 *      and what it predicts is what the real run then changes;
 *   1. the real run: 3 healthy members, every known key, consistent files;
 *   2. the same playbook on the healed cluster stops at preflight, changing nothing;
 *   7. a run interrupted (Ctrl-C) right after the forced new cluster, then
 *      run again: it finishes, nothing lost.
 * playbooks/decommission-master.yml is proved in decommission.test.ts.
 */
import t, { type Test } from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ensureLabUp, etcdEndpoints, lab, labExec, labStatus, resetLab, verifyData } from '../helpers/lab.js';
import { RESTORE, envValue, hashDiff, hashHost, iniGroup, inventoryCopy, memberNames, tsplay, tsplayInterrupted } from './helpers.js';

t.setTimeout(1_800_000);

const MASTERS = ['master-0', 'master-1', 'master-2'];
const NAMES = MASTERS.map((h) => `${h}.example.com`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Names of the tasks the playbook runs only for real (`when: not
 * ansible_check_mode`, itself, in its block or on the import that brings it
 * in), following import_tasks into the tasks files; and of the handlers only
 * such tasks notify.
 */
/** A play's handlers, an imported handlers file's read in, its names rendered with the import's vars. */
function handlersOf(handlers: Record<string, unknown>[], dir: string): Record<string, unknown>[] {
  return handlers.flatMap((h) => {
    if (typeof h.import_tasks !== 'string') return [h];
    const vars = (h.vars ?? {}) as Record<string, unknown>;
    const imported = parse(readFileSync(join(dir, h.import_tasks), 'utf8')) as Record<string, unknown>[];
    return imported.map((x) => ({ ...x, name: String(x.name).replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) }));
  });
}

function realOnlyTasks(file: string): Set<string> {
  const out = new Set<string>();
  const notified = new Map<string, boolean>();
  const walk = (tasks: Record<string, unknown>[] | undefined, inherited: boolean, dir: string) => {
    for (const task of tasks ?? []) {
      const when = ([] as unknown[]).concat(task.when ?? []).map(String);
      const realOnly = inherited || when.some((w) => /not ansible_check_mode/.test(w));
      if (realOnly && typeof task.name === 'string') out.add(task.name);
      for (const topic of ([] as unknown[]).concat(task.notify ?? []).map(String)) notified.set(topic, (notified.get(topic) ?? true) && realOnly);
      if (typeof task.import_tasks === 'string') {
        const included = join(dir, task.import_tasks);
        walk(parse(readFileSync(included, 'utf8')) as Record<string, unknown>[], realOnly, dirname(included));
      }
      walk(task.block as Record<string, unknown>[] | undefined, realOnly, dir);
    }
  };
  const plays = parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  for (const play of plays) {
    notified.clear();
    walk(play.tasks as Record<string, unknown>[], false, dirname(file));
    for (const h of handlersOf((play.handlers ?? []) as Record<string, unknown>[], dirname(file))) {
      const topics = [String(h.name), ...([] as unknown[]).concat(h.listen ?? []).map(String)];
      if (topics.every((topic) => notified.get(topic) ?? true)) out.add(String(h.name));
    }
  }
  return out;
}

/** Lose quorum keeping master-1, and bring master-0 and master-2 back repaired, with no etcd data. */
async function breakAndRepair() {
  const broke = await lab('break-quorum', '--keep', 'master-1');
  if (broke.rc !== 0) throw new Error(`break-quorum failed: ${broke.stderr}`);
  for (const h of ['master-0', 'master-2']) {
    for (const verb of ['wipe-etcd', 'start']) {
      const r = await lab(verb, h);
      if (r.rc !== 0) throw new Error(`lab ${verb} ${h} failed: ${r.stderr}`);
    }
  }
}

async function hashAll(inventory: string) {
  const hosts = new Map<string, Map<string, string>>();
  for (const h of [...MASTERS, 'lb']) hosts.set(h, await hashHost(h));
  const controller = new Map<string, string>();
  for (const f of readdirSync(dirname(inventory))) controller.set(f, readFileSync(`${dirname(inventory)}/${f}`, 'utf8'));
  return { hosts, controller };
}

/** What an operator checks after a restore: members, health, data, and the files on every host. */
async function assertRestored(t: Test, inventory: string) {
  t.same(await memberNames('master-1', etcdEndpoints(3)), NAMES, 'the member list names the three masters');
  const status = await labStatus();
  for (const h of MASTERS) {
    const e = status.hosts.find((x) => x.name === h)!.etcd!;
    t.ok(e.healthy, `${h}: etcd healthy`);
    t.equal(e.unit, 'active', `${h}: etcd.service active`);
    t.equal(e.enabled, 'enabled', `${h}: etcd.service enabled, so it comes back after a reboot`);
  }
  t.equal(status.hosts.filter((x) => x.etcd?.isLeader).length, 1, 'exactly one leader');
  const data = await verifyData();
  t.equal(data.matching, 1000, 'every seeded key reads back with its value');
  t.ok(data.checksumOk, 'the checksum of the seeded data matches');
  const cluster = 'master-0.example.com=https://127.0.10.1:2380,master-1.example.com=https://127.0.10.2:2380,master-2.example.com=https://127.0.10.3:2380';
  for (const h of MASTERS) {
    t.equal((await labExec(h, 'test -e /etc/systemd/system/etcd.service.d; echo $?')).stdout.trim(), '1', `${h}: no drop-in left (temp.conf removed, and the etcd.service.d folder the restore created)`);
    t.equal((await labExec(h, 'systemctl show -p ExecStart etcd | grep -c force-new-cluster')).stdout.trim(), '0', `${h}: systemd runs etcd without --force-new-cluster`);
    t.equal(await envValue(h, '/etc/etcd/etcd.conf', 'ETCD_INITIAL_CLUSTER'), cluster, `${h}: ETCD_INITIAL_CLUSTER names the three members`);
    const urls = (await labExec(h, "sed -n '/^  urls:/,/^[a-z]/p' /etc/origin/master/master-config.yaml | grep '^  - '")).stdout.trim().split('\n').map((l) => l.replace(/^\s*- /, '')).sort();
    t.same(urls, NAMES.map((n) => `https://${n}:2379`), `${h}: master-config.yaml etcdClientInfo.urls lists the three members`);
    const flannel = (await envValue(h, '/etc/sysconfig/flanneld', 'FLANNEL_ETCD_ENDPOINTS'))!.split(',').sort();
    t.same(flannel, NAMES.map((n) => `https://${n}:2379`), `${h}: FLANNEL_ETCD_ENDPOINTS lists the three members`);
    t.equal((await labExec(h, 'test -e /etc/etcd/restore-in-progress.json; echo $?')).stdout.trim(), '1', `${h}: no restore left in progress`);
  }
  t.same(iniGroup(readFileSync(inventory, 'utf8'), 'etcd').sort(), MASTERS, 'the inventory [etcd] group lists the three masters');
  // Every etcd host came back: the inventory is byte for byte the operator's, each host's line with its variables.
  t.equal(readFileSync(inventory, 'utf8'), readFileSync(inventoryCopy(3), 'utf8'), 'the inventory is as it was: every etcd host keeps its line');
  t.notOk(readdirSync(dirname(inventory)).some((f) => /^hosts\.\d+\..*~$/.test(f)), 'no backup: the inventory was not edited');
}

/** The summary's lines of a run (the debug message of "A.4 Summary"). */
function summaryLines(run: { events: Record<string, unknown>[] }): string[] {
  for (const e of run.events) {
    const msg = e.type === 'host_result' ? (e.result as { msg?: unknown } | undefined)?.msg : undefined;
    if (Array.isArray(msg) && msg.some((l) => /^time total: /.test(String(l)))) return msg.map(String);
  }
  return [];
}

/**
 * The summary gives each step of this run with its seconds, in the order they
 * ran, A.4's add back per host, and the total, which is at least their sum.
 */
function assertStepTimes(t: Test, lines: string[]): { total: number; rest: string } {
  const steps = [
    'A.0 Confirm quorum is lost and choose the survivor',
    'A.1 Back up etcd',
    'A.2 Remove the other etcd hosts',
    'A.3 Make the survivor a single-member cluster',
    'A.4 Add the other members back, one at a time, master-0',
    'A.4 Add the other members back, one at a time, master-2',
    'A.4 Put the members back into the clients\' lists',
    'A.4 Verify and summarise',
  ];
  const timed = lines.filter((l) => l.startsWith('time '));
  t.same(timed.slice(0, -1).map((l) => l.replace(/^time (.*): \d+\.\d s$/, '$1')), steps, 'the summary times every step, in the order they ran');
  const each = timed.slice(0, -1).map((l) => Number(/: (\d+\.\d) s$/.exec(l)?.[1]));
  t.ok(each.every((s) => Number.isFinite(s) && s >= 0), `each step has its seconds: ${each.join(', ')}`);
  const total = /^time total: (\d+\.\d) s(.*)$/.exec(timed.at(-1) ?? '');
  t.ok(total, `the last line is the total: ${timed.at(-1)}`);
  const sum = each.reduce((a, b) => a + b, 0);
  // Each figure is rounded to 0.1 s: the total is their sum at least, less rounding.
  t.ok(Number(total?.[1]) >= sum - 0.05 * (each.length + 1), `the total (${total?.[1]} s) covers the steps (${sum.toFixed(1)} s)`);
  return { total: Number(total?.[1]), rest: total?.[2] ?? '' };
}

t.before(async () => {
  await ensureLabUp();
});

let inventory = '';
let predicted: string[] = [];
let checkOut = '';

t.test('3. --check --diff on a broken cluster changes no byte anywhere and predicts the real run', async (t) => {
  await resetLab();
  await breakAndRepair();
  inventory = inventoryCopy(3);
  const before = await hashAll(inventory);
  const check = await tsplay(RESTORE, inventory, '--check', '--diff');
  t.equal(check.rc, 0, 'check mode exits 0');
  if (check.rc !== 0) t.comment(check.stdout.slice(-4000), check.stderr);
  const after = await hashAll(inventory);
  for (const h of [...MASTERS, 'lb']) t.same(hashDiff(before.hosts.get(h)!, after.hosts.get(h)!), [], `${h}: every file byte-identical after --check (${before.hosts.get(h)!.size} files hashed)`);
  t.same([...after.controller.keys()], [...before.controller.keys()], 'no file added beside the inventory on the controller');
  t.equal(after.controller.get('hosts'), before.controller.get('hosts'), 'the inventory is unchanged');
  t.same(await labStatus().then((s) => s.hosts.filter((x) => x.etcd?.healthy).length), 0, 'quorum is still lost');
  checkOut = check.stdout;
  t.match(check.stdout, /depends on the earlier step/, 'check mode says where it cannot predict');
  predicted = [...check.changed, ...check.wouldRun];
  for (const want of [
    'A.1 Back up /etc/etcd on every etcd member (each member\'s certificates and config are unique)|master-0',
    'Drop the removed members from etcdClientInfo.urls in master-config.yaml|master-2',
    'A.2 Restart the master API (master-restart api)|master-1',
    'A.3 The temp.conf drop-in: the original ExecStart= with --force-new-cluster (daemon-reload)|master-1',
  ]) t.ok(predicted.includes(want), `predicted: ${want}`);
  const diffs = check.events.filter((e) => e.type === 'host_result' && Array.isArray(e.files)).flatMap((e) => (e.files as { label?: string; path?: string }[]).map((d) => `${String(e.host)}:${d.path ?? d.label}`));
  t.ok(diffs.some((d) => d.startsWith('master-0:') && d.includes('master-config.yaml')), 'a diff of master-config.yaml on master-0');
  t.notOk(diffs.some((d) => d.includes('(controller)')), 'no diff of the inventory: every etcd host comes back, none leaves [etcd]');
});

t.test('1. restore on 3 masters, master-0 and master-2 back without data: 3 healthy members, all data, consistent files', async (t) => {
  const t0 = Date.now();
  const real = await tsplay(RESTORE, inventory, '--diff');
  const took = Date.now() - t0;
  t.equal(real.rc, 0, 'exit code 0');
  if (real.rc !== 0) t.comment(real.stdout.slice(-6000), real.stderr);
  t.comment(`restore on 3 masters, broken to healthy: ${seconds(took)}`);
  for (const h of MASTERS) {
    t.equal(real.recap[h]?.failed, 0, `${h}: failed=0`);
    t.equal(real.recap[h]?.unreachable, 0, `${h}: unreachable=0`);
  }
  await assertRestored(t, inventory);
  // Everything check mode said would change did change; what it did not
  // predict comes only from steps it said depend on an earlier one.
  const realOnly = realOnlyTasks(RESTORE);
  for (const p of predicted) t.ok(real.changed.includes(p), `predicted and done: ${p}`);
  const unpredicted = real.changed.filter((c) => !predicted.includes(c) && !realOnly.has(c.split('|')[0]!));
  t.same(unpredicted, [], 'every change the real run made was predicted, or belongs to a step check mode said depends on an earlier one');
  t.match(real.stdout, /survivor: master-1 \(master-1\.example\.com\)/, 'the summary names the survivor');
  t.match(real.stdout, /stale lists: none \(every host was reachable and follows the cluster\)/, 'the summary: no host keeps stale lists');
  const times = assertStepTimes(t, summaryLines(real));
  t.equal(times.rest, '', 'a run that resumed nothing says nothing of an earlier run');
  t.match(checkOut, /^\{.*"type":"recap"/m, 'the predictions compared above come from a --check run that reached its recap');
});

t.test('2. the restore again on the healed cluster stops at preflight and changes nothing', async (t) => {
  const before = await hashAll(inventory);
  const again = await tsplay(RESTORE, inventory);
  t.equal(again.rc, 2, 'non-zero exit (2: the preflight refuses)');
  t.match(again.stdout, /etcd quorum holds \(3 of 3 members healthy, 2 needed\): there is nothing to restore and nothing was changed/);
  t.same(again.changed, [], 'changed=0');
  t.same(Object.keys(again.recap), ['localhost'], 'no master was touched: the run ended in the preflight');
  const after = await hashAll(inventory);
  for (const h of [...MASTERS, 'lb']) t.same(hashDiff(before.hosts.get(h)!, after.hosts.get(h)!), [], `${h}: every file byte-identical`);
  t.same(after.controller, before.controller, 'the inventory and its folder are unchanged');
  t.equal((await verifyData()).matching, 1000);
});

t.test('7. interrupted (Ctrl-C) right after the forced new cluster, then run again: it finishes, nothing lost', async (t) => {
  await resetLab();
  await breakAndRepair();
  const inv = inventoryCopy(3);
  let restarted = false;
  const first = await tsplayInterrupted(RESTORE, inv, (e) => {
    if (e.type === 'task_start' && e.name === 'A.3 Restart etcd with --force-new-cluster (systemctl restart etcd)') restarted = true;
    // Ctrl-C once etcd runs with --force-new-cluster: the next task is the member-list check.
    return restarted && e.type === 'task_start' && e.name === 'A.3 etcdctl member list shows exactly one member';
  });
  t.ok(first.interrupted, 'interrupted right after the forced new cluster');
  t.equal(first.rc, 99, 'exit code 99: interrupted');
  t.equal((await labExec('master-1', 'test -e /etc/systemd/system/etcd.service.d/temp.conf; echo $?')).stdout.trim(), '0', 'the interrupted run left the temp.conf drop-in');
  t.equal((await labExec('master-1', 'test -e /etc/etcd/restore-in-progress.json; echo $?')).stdout.trim(), '0', 'and the in-progress mark');
  const mark = JSON.parse((await labExec('master-1', 'cat /etc/etcd/restore-in-progress.json')).stdout) as { started_at?: unknown };
  t.type(mark.started_at, 'number', 'the mark records when the restore began (epoch seconds), for the resumed run\'s summary');
  const second = await tsplay(RESTORE, inv);
  t.equal(second.rc, 0, 'the second run exits 0');
  if (second.rc !== 0) t.comment(second.stdout.slice(-6000), second.stderr);
  t.match(second.stdout, /resuming the interrupted restore/);
  const times = assertStepTimes(t, summaryLines(second));
  // The first run began before this one, so the restore's own age is at least this run's total.
  const resumed = / in this run, which resumed the restore begun \d{8} \(survivor master-1\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \((\d+\.\d) s ago\); the steps above are this run's$/.exec(times.rest);
  t.ok(resumed, `the total says which run it resumed, and when that began: ${times.rest}`);
  t.ok(Number(resumed?.[1]) >= times.total, 'the restore began before this run');
  await assertRestored(t, inv);
  const third = await tsplay(RESTORE, inv);
  t.equal(third.rc, 2, 'a third run stops at preflight');
  t.same(third.changed, [], 'changed=0');
});

t.teardown(async () => {
  await resetLab();
});
