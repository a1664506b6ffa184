#!/usr/bin/env node
// The quorum restore on every etcd topology of the lab, against etcd's own floor.
// A benchmark, never a test: it prints figures and asserts nothing but that
// each restore ended healthy (else its row says so).
//
//   node --import @tapjs/typescript/import bench/restore.mjs                 every topology, 3 and 5 members
//   node --import @tapjs/typescript/import bench/restore.mjs --only service:3,static-pod:5
//   node --import @tapjs/typescript/import bench/restore.mjs --no-floor     the restores only
//
// For each topology (etcd.service on the masters, the static pod on the
// masters, dedicated etcd hosts) and member count: the lab comes up in it
// (tests/helpers/lab.ts, under the lab tests' lock), quorum is lost keeping
// the second member (`lab break-quorum --keep`), the other members come back
// repaired with no etcd data (`lab wipe-etcd`, `lab start`), as in
// tests/playbooks/restore-quorum*.test.ts, and then:
//   restore: `tsplay run playbooks/restore-quorum.yml -i <the operator's inventory>`,
//            wall time from its start to its exit (it exits once every member
//            is healthy), and the time of each step from its summary;
//   floor:   the same broken lab again (`lab reset`), and what etcd itself
//            needs, by hand with plain commands inside the hosts (timed there,
//            polling every 50 ms): ETCD_FORCE_NEW_CLUSTER=true and a restart
//            of etcd to a healthy single member, the variable removed and a
//            restart to healthy; then for each other member: member add
//            (learner), its etcd.conf, its start, promote once caught up, healthy.
// The default lab (3 masters, etcd.service) is brought back at the end.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lab, labExec, labStatus, labUpWith, lockLab, restoreDefaultLab } from '../tests/helpers/lab.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSPLAY = join(REPO, 'dist/bin/tsplay.js');
const PLAYBOOK = join(REPO, 'playbooks/restore-quorum.yml');

const TOPOLOGIES = {
  service: (n) => ({ up: ['--masters', String(n), '--etcd-hosts', '0', '--etcd', 'service'], inventory: [String(n), '--etcd-hosts', '0', '--etcd', 'service'], members: names('master', n), restart: 'systemctl restart etcd', staticPod: false }),
  'static-pod': (n) => ({ up: ['--masters', String(n), '--etcd-hosts', '0', '--etcd', 'static-pod'], inventory: [String(n), '--etcd-hosts', '0', '--etcd', 'static-pod'], members: names('master', n), restart: 'master-restart etcd', staticPod: true }),
  dedicated: (n) => ({ up: ['--masters', '3', '--etcd-hosts', String(n), '--etcd', 'service'], inventory: ['3', '--etcd-hosts', String(n), '--etcd', 'service'], members: names('etcd', n), restart: 'systemctl restart etcd', staticPod: false }),
};

function names(prefix, n) {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
}

function argValue(flag) {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function labOk(...args) {
  const r = await lab(...args);
  if (r.rc !== 0) throw new Error(`lab ${args.join(' ')} failed (rc ${r.rc}): ${r.stderr}${r.stdout}`);
  return r;
}

async function execOk(host, script) {
  const r = await labExec(host, script);
  if (r.rc !== 0) throw new Error(`${host}: ${script.slice(0, 80)}... failed (rc ${r.rc}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Quorum lost keeping the second member; the others back from repair without etcd data. */
async function breakAndRepair(topo) {
  const survivor = topo.members[1];
  await labOk('break-quorum', '--keep', survivor);
  for (const h of topo.members.filter((m) => m !== survivor)) {
    await labOk('wipe-etcd', h);
    await labOk('start', h);
  }
  return survivor;
}

function runTsplay(inventory) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('node', [TSPLAY, 'run', PLAYBOOK, '-i', inventory, '--json'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let partial = '';
    // When each task and play started (the events' own time): where the time goes, task by task.
    const marks = [];
    child.stdout.on('data', (d) => {
      out += d;
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          const e = JSON.parse(line);
          if (['run_start', 'task_start', 'play_start', 'recap'].includes(e.type)) marks.push({ at: Date.parse(e.time) / 1000, type: e.type, name: e.name ?? '' });
        } catch {
          /* not an event */
        }
      }
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const tasks = marks.flatMap((m, i) => (m.type === 'task_start' ? [{ name: m.name, seconds: (marks[i + 1]?.at ?? m.at) - m.at }] : []));
      const runStart = marks.find((m) => m.type === 'run_start')?.at ?? 0;
      resolvePromise({ rc: code, seconds: Number(process.hrtime.bigint() - started) / 1e9, out, tasks, firstPlay: (marks.find((m) => m.type === 'play_start')?.at ?? runStart) - runStart });
    });
  });
}

/** The summary's `time STEP: N s` lines, as [step, seconds]. */
function stepTimes(out) {
  return [...out.matchAll(/"time (.+?): (\d+\.\d) s[^"]*"/g)].map((m) => [m[1], Number(m[2])]);
}

// A bash function inside a host: seconds since the epoch, to the nanosecond.
const NOW = 'now() { date +%s.%N; }';
// Every wait is bounded (120 s, then the phase fails): a floor that cannot finish must not hold the lab.
const until = (cond) => `for i in $(seq 2400); do ${cond} && break; [ "$i" = 2400 ] && { echo "gave up waiting: ${cond.replace(/[`$"\\]/g, '')}" >&2; exit 1; }; sleep 0.05; done`;
const healthy = (url) => until(`etcdctl3 --endpoints=${url} --command-timeout=2s endpoint health >/dev/null 2>&1`);
const since = (v) => `awk -v a="$(now)" -v b="$${v}" 'BEGIN { printf "%.3f\\n", a - b }'`;

/** What etcd itself needs, by hand on the broken lab: [phase, seconds] measured inside the hosts. */
async function floor(topo, survivor) {
  const ip = (h) => (h.startsWith('etcd-') ? `127.0.10.${11 + Number(h.split('-')[1])}` : `127.0.10.${Number(h.split('-')[1]) + 1}`);
  const url = `https://${ip(survivor)}:2379`;
  const phases = [];
  const setForce = `sed -i '/^ETCD_FORCE_NEW_CLUSTER=/d' /etc/etcd/etcd.conf; echo ETCD_FORCE_NEW_CLUSTER=true >> /etc/etcd/etcd.conf`;
  const forced = await execOk(survivor, `${NOW}; ${setForce}; t=$(now); ${topo.restart} >/dev/null; ${healthy(url)}; ${since('t')}`);
  phases.push(['force-new-cluster: restart to a healthy single member', Number(forced.trim())]);
  const unforced = await execOk(survivor, `${NOW}; sed -i '/^ETCD_FORCE_NEW_CLUSTER=/d' /etc/etcd/etcd.conf; t=$(now); ${topo.restart} >/dev/null; ${healthy(url)}; ${since('t')}`);
  phases.push(['the force removed: restart to healthy', Number(unforced.trim())]);
  for (const h of topo.members.filter((m) => m !== survivor)) {
    const name = `${h}.example.com`;
    const peer = `https://${ip(h)}:2380`;
    // member add on the survivor: its ETCD_INITIAL_CLUSTER line for the new member.
    // etcd refuses a member add for about 5 s after a member started (unhealthy cluster): that wait is etcd's own.
    const added = await execOk(
      survivor,
      `${NOW}; t=$(now); for i in $(seq 2400); do out=$(etcdctl3 --endpoints=${url} member add ${name} --learner --peer-urls=${peer} 2>&1) && break; sleep 0.05; done; ` +
        `echo "$out" | sed -n 's/^Member \\([0-9a-f]*\\) added.*/\\1/p'; echo "$out" | grep '^ETCD_INITIAL_CLUSTER=' || { echo "$out" >&2; exit 1; }; ${since('t')}`,
    );
    // The ID from member add's own answer: a learner not started yet has no name in the member list.
    const [id, initial, addSeconds] = added.trim().split('\n');
    if (!/^[0-9a-f]+$/.test(id ?? '')) throw new Error(`${h}: no member ID in member add's answer: ${added}`);
    const start = topo.staticPod ? 'mv /etc/origin/node/pods-stopped/etcd.yaml /etc/origin/node/pods/etcd.yaml' : 'systemctl enable --now etcd >/dev/null 2>&1';
    const started = await execOk(
      h,
      `${NOW}; t=$(now); sed -i '/^ETCD_NAME=/d; /^ETCD_INITIAL_CLUSTER=/d; /^ETCD_INITIAL_CLUSTER_STATE=/d' /etc/etcd/etcd.conf; ` +
        `printf '%s\\n' 'ETCD_NAME=${name}' '${initial.replace(/"/g, '')}' 'ETCD_INITIAL_CLUSTER_STATE=existing' >> /etc/etcd/etcd.conf; ${start}; ${since('t')}`,
    );
    // Promote as soon as etcd accepts it (the learner has caught up), then wait until its endpoint is healthy.
    const promoted = await execOk(survivor, `${NOW}; t=$(now); ${until(`etcdctl3 --endpoints=${url} member promote ${id} >/dev/null 2>&1`)}; ${since('t')}`);
    const up = await execOk(h, `${NOW}; t=$(now); ${healthy(`https://${ip(h)}:2379`)}; ${since('t')}`);
    phases.push([`${h}: member add + etcd.conf + start + promote + healthy`, Number(addSeconds) + Number(started.trim()) + Number(promoted.trim()) + Number(up.trim())]);
  }
  // Leave etcd.conf as the restore would (no force); the lab is reset after anyway.
  return phases;
}

async function main() {
  const only = argValue('--only')?.split(',');
  const withFloor = !process.argv.includes('--no-floor');
  const configs = [];
  for (const kind of Object.keys(TOPOLOGIES)) for (const n of [3, 5]) if (!only || only.includes(`${kind}:${n}`)) configs.push([kind, n]);
  await lockLab();
  const rows = [];
  try {
    for (const [kind, n] of configs) {
      try {
        rows.push(await measureOne(kind, n, withFloor));
      } catch (e) {
        process.stderr.write(`${kind}, ${n} members failed: ${e instanceof Error ? e.message : e}\n`);
        rows.push({ kind, n, rc: 'error', healthy: 0, seconds: 0, steps: [], phases: [] });
      }
    }
  } finally {
    process.stderr.write('\n== the default lab again\n');
    await restoreDefaultLab();
  }
  printTable(rows);
}

/** One topology and size: the lab up in it, the restore timed, then etcd's floor on the same broken lab. */
async function measureOne(kind, n, withFloor) {
  const topo = TOPOLOGIES[kind](n);
  process.stderr.write(`\n== ${kind}, ${n} members: lab up ${topo.up.join(' ')}\n`);
  await labUpWith(...topo.up);
  await labOk('reset', ...topo.up);
  const inventory = join(mkdtempSync(join(tmpdir(), 'tsplay-bench-restore-')), 'hosts');
  writeFileSync(inventory, (await labOk('inventory', ...topo.inventory, '--fqdn')).stdout);
  const survivor = await breakAndRepair(topo);
  const run = await runTsplay(inventory);
  const status = await labStatus();
  const healthyCount = status.hosts.filter((h) => topo.members.includes(h.name) && h.etcd?.healthy).length;
  const steps = stepTimes(run.out);
  process.stderr.write(`restore: rc ${run.rc}, ${run.seconds.toFixed(1)} s, ${healthyCount} of ${n} healthy\n`);
  process.stderr.write(`  from the run's start to its first play (loading): ${run.firstPlay.toFixed(1)} s\n`);
  for (const [s, sec] of steps) process.stderr.write(`  ${s}: ${sec.toFixed(1)} s\n`);
  const slowest = [...run.tasks].sort((a, b) => b.seconds - a.seconds).slice(0, 12);
  process.stderr.write(`  slowest tasks:\n${slowest.map((x) => `    ${x.seconds.toFixed(2)} s  ${x.name}`).join('\n')}\n`);
  if (run.rc !== 0) process.stderr.write(run.out.slice(-4000));
  let phases = [];
  if (withFloor) {
    await labOk('reset', ...topo.up);
    const kept = await breakAndRepair(topo);
    phases = await floor(topo, kept);
    for (const [p, sec] of phases) process.stderr.write(`  floor ${p}: ${sec.toFixed(2)} s\n`);
  }
  return { kind, n, rc: run.rc, healthy: healthyCount, seconds: run.seconds, steps, phases, survivor };
}

function printTable(rows) {
  const pad = (s, w) => String(s).padEnd(w);
  console.log(`\n${pad('topology', 12)} ${pad('members', 8)} ${pad('restore', 9)} ${pad('A.0', 6)} ${pad('A.1', 6)} ${pad('A.2', 6)} ${pad('A.3', 6)} ${pad('A.4 add', 8)} ${pad('A.4 rest', 9)} ${pad('floor', 7)} ${pad('force', 7)} ${pad('adds', 6)} result`);
  for (const r of rows) {
    const sum = (re) => r.steps.filter(([s]) => re.test(s)).reduce((a, [, v]) => a + v, 0);
    const floorForce = r.phases.slice(0, 2).reduce((a, [, v]) => a + v, 0);
    const floorAdds = r.phases.slice(2).reduce((a, [, v]) => a + v, 0);
    console.log(
      `${pad(r.kind, 12)} ${pad(r.n, 8)} ${pad(`${r.seconds.toFixed(1)} s`, 9)} ${pad(sum(/^A\.0/).toFixed(1), 6)} ${pad(sum(/^A\.1/).toFixed(1), 6)} ${pad(sum(/^A\.2/).toFixed(1), 6)} ${pad(sum(/^A\.3/).toFixed(1), 6)} ` +
        `${pad(sum(/^A\.4 Add/).toFixed(1), 8)} ${pad(sum(/^A\.4 (?!Add)/).toFixed(1), 9)} ${pad(r.phases.length ? `${(floorForce + floorAdds).toFixed(1)} s` : '-', 7)} ${pad(r.phases.length ? floorForce.toFixed(1) : '-', 7)} ${pad(r.phases.length ? floorAdds.toFixed(1) : '-', 6)} ` +
        `${r.rc === 0 && r.healthy === r.n ? 'healthy' : `rc ${r.rc}, ${r.healthy}/${r.n} healthy`}`,
    );
  }
  console.log('\nrestore: tsplay run playbooks/restore-quorum.yml, start to exit (healthy); A.n: its summary\'s step times (s);');
  console.log('floor: etcd alone by hand inside the hosts: force = force-new-cluster restart to healthy + restart without it to healthy; adds = member add + start + promote + healthy, summed over the members added back.');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
