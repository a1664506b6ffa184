/**
 * Gathered facts against the real ansible-playbook 2.14 on the same host
 * (this machine, over the local connection): every fact tsplay produces is
 * compared field by field with Ansible's (values that move between two
 * gatherings, such as the time, free memory or load, by type and shape);
 * gather_subset (as a play keyword and as setup's argument, with `!`
 * negation and fact ids) and filter select the same facts; an unknown subset
 * fails with Ansible's message; ansible_local reads facts.d as Ansible does.
 * include_vars with `dir` (depth, files_matching, ignore_files, extensions,
 * name, its failures) loads the same variables in the same order; stat
 * gives the same result fields with the same values.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bothOutputs, buildCli, runParityCase, sameRecapAndExit, sameSections, type ParityRun, type Run } from './helpers.js';

type Facts = Record<string, unknown>;

const inventory = 'inventories/local-facts.ini';
let cli = '';
let gather: ParityRun;
let local: ParityRun;
let includeVars: ParityRun;
let stats: ParityRun;
let verbose: ParityRun;

t.before(async () => {
  cli = buildCli('parity-facts');
  [gather, local, includeVars, stats, verbose] = await Promise.all([
    runParityCase(cli, { playbook: 'facts-gather.yml', inventory }),
    runParityCase(cli, { playbook: 'facts-local.yml', inventory }),
    runParityCase(cli, { playbook: 'include-vars-dir.yml', inventory: 'inventories/one.ini' }),
    runParityCase(cli, { playbook: 'stat-fields.yml', inventory: 'inventories/one.ini' }),
    runParityCase(cli, { playbook: 'include-vars-dir.yml', inventory: 'inventories/one.ini', args: ['-v'] }),
  ]);
});

function readJson<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as T;
}

/** Facts whose values change from one gathering to the next: compared by type and shape. */
const MOVING = new Set(['date_time', 'memfree_mb', 'memory_mb', 'loadavg', 'uptime_seconds', 'mounts']);
/** Facts that describe the process that gathers (the controller's environment under the local connection). */
const PROCESS = new Set(['env']);

function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return typeof v;
}

t.test('every fact tsplay gathers is the one Ansible gathers on the same host', async (t) => {
  sameRecapAndExit(t, gather, bothOutputs(gather));
  const ansible = readJson<Facts>(gather.workdirs.ansible, 'all.json');
  const ours = readJson<Facts>(gather.workdirs.tsplay, 'all.json');
  const extra = Object.keys(ours).filter((k) => !(k in ansible));
  t.same(extra, [], 'no fact Ansible does not have');
  const produced = Object.keys(ours).filter((k) => k in ansible);
  // The set this test covers: it must not shrink unnoticed.
  t.ok(produced.length >= 60, `${produced.length} facts compared`);
  for (const key of ['default_ipv4', 'all_ipv4_addresses', 'interfaces', 'distribution_version', 'distribution_release', 'os_family', 'pkg_mgr', 'service_mgr', 'date_time', 'memtotal_mb', 'processor_vcpus', 'mounts', 'fqdn', 'domain', 'kernel_version', 'machine_id', 'python', 'ansible_local']) {
    t.ok(produced.includes(key), `${key} is gathered`);
  }
  for (const key of produced) {
    const a = ansible[key];
    const b = ours[key];
    if (MOVING.has(key)) t.same(shape(b), shape(a), `${key}: same fields and types`);
    else if (PROCESS.has(key)) t.same(typeof b, typeof a, `${key}: a mapping`);
    else if (key === 'interfaces') t.same([...(b as string[])].sort(), [...(a as string[])].sort(), 'interfaces: the same (Ansible lists them in directory order)');
    else if (key === 'distribution_version') {
      // Ansible 2.14 reads /etc/debian_version only when the host has python3-distro 1.8: "12.11" or "12".
      const av = String(a);
      t.ok(b === a || String(b).startsWith(`${av}.`), `distribution_version ${String(b)} is Ansible's ${av}, or it with /etc/debian_version's minor version`);
    } else t.same(b, a, `${key}: same value`);
  }
  t.same(shape(ours.mounts), shape(ansible.mounts), 'the same mounts, field by field');
  t.same(
    (ours.mounts as Facts[]).map((m) => [m.mount, m.device, m.fstype, m.options, m.size_total, m.block_total, m.inode_total, m.uuid]),
    (ansible.mounts as Facts[]).map((m) => [m.mount, m.device, m.fstype, m.options, m.size_total, m.block_total, m.inode_total, m.uuid]),
    'each mount: point, device, type, options and sizes',
  );
  t.same(Object.keys(ours.date_time as Facts).sort(), Object.keys(ansible.date_time as Facts).sort(), 'date_time has the same fields');
  const skew = Math.abs(Number((ours.date_time as Facts).epoch) - Number((ansible.date_time as Facts).epoch));
  t.ok(skew < 600, 'date_time is now on both (the two runs start together)');
});

t.test('gather_subset and filter select the same facts', async (t) => {
  sameRecapAndExit(t, gather, bothOutputs(gather));
  sameSections(t, gather, { detail: bothOutputs(gather) });
  // Compared among the facts tsplay gathers (the others are listed in docs/differences.md).
  const all = Object.keys(readJson<Facts>(gather.workdirs.tsplay, 'all.json'));
  const known = (keys: string[]) => keys.filter((k) => all.includes(k) || k.startsWith('ansible_') && all.includes(k.slice(8))).sort();
  const play = (dir: string) => known(Object.keys(readJson<Facts>(dir, 'play-subset.json')));
  t.same(play(gather.workdirs.tsplay), play(gather.workdirs.ansible), "the play's gather_subset");
  t.same(readJson<Facts>(gather.workdirs.tsplay, 'play-subset.json').gather_subset, ['!all', '!min', 'distribution'], "the play's gather_subset reached setup");
  const subsets = (dir: string) => readJson<Facts[]>(dir, 'subsets.json').map((f) => known(Object.keys(f)));
  const ours = subsets(gather.workdirs.tsplay);
  const theirs = subsets(gather.workdirs.ansible);
  t.equal(ours.length, 13, 'every subset ran');
  ours.forEach((keys, i) => t.same(keys, theirs[i], `subset case ${i + 1}: the same facts`));
});

t.test('ansible_local: JSON, INI, scripts, failures, no folder', async (t) => {
  // The messages name each tool's own fact folder: the same once the folders are named alike.
  const alike = (r: Run, dir: string): Run => ({ ...r, stdout: r.stdout.split(dir).join('WORKDIR') });
  const o = { ansible: alike(local.ansible, local.workdirs.ansible), tsplay: alike(local.tsplay, local.workdirs.tsplay) };
  const detail = bothOutputs(o);
  sameRecapAndExit(t, o, detail);
  sameSections(t, o, { detail });
  t.match(local.tsplay.stdout, /"members": \[\s*1,\s*2,\s*3\s*\]/, 'the JSON fact is data');
  t.match(local.tsplay.stdout, /"msg": "6 Alice"/, 'INI keys are lower-cased, values text');
  t.match(local.tsplay.stdout + local.tsplay.stderr, /Failure executing fact script \(.*broken\.fact\), rc: 3, err: oops/, 'a failing script is a warning');
});

t.test('include_vars dir: the same files, variables, order and failures', async (t) => {
  const detail = bothOutputs(includeVars);
  sameRecapAndExit(t, includeVars, detail);
  sameSections(t, includeVars, { detail });
  t.match(includeVars.tsplay.stdout, /"msg": "3 4 from-sub-c"/, 'a later file wins');
});

t.test("stat: Ansible's result fields, with the same values", async (t) => {
  sameRecapAndExit(t, stats, bothOutputs(stats));
  const ansible = readJson<Facts[]>(stats.workdirs.ansible, 'stats.json');
  const ours = readJson<Facts[]>(stats.workdirs.tsplay, 'stats.json');
  t.equal(ours.length, 9, 'every path was looked at');
  ours.forEach((st, i) => {
    t.same(Object.keys(st).sort(), Object.keys(ansible[i]).sort(), `case ${i + 1}: the same fields`);
    // Reading a file may move its access time between the two runs.
    const { atime: a1, ...rest } = st;
    const { atime: a2, ...theirs } = ansible[i];
    t.same(rest, theirs, `case ${i + 1} (${String(st.path ?? 'missing')}): the same values`);
    t.equal(typeof a1, typeof a2, `case ${i + 1}: atime of the same type`);
  });
});

t.test('-v: each result on one line as Ansible prints it, debug indented', async (t) => {
  const detail = bothOutputs(verbose);
  sameRecapAndExit(t, verbose, detail);
  sameSections(t, verbose, { detail });
  t.match(verbose.tsplay.stdout, /^ok: \[solo\] => \{"ansible_facts": \{"everything": \{"a": 1, /m, 'an ok result on one line');
  t.match(verbose.tsplay.stdout, /^ok: \[solo\] => \{\n {4}"msg": \{/m, 'debug stays indented');
});
