/**
 * `npm run bench`: the same work, written once as a tsplay playbook and once as
 * an Ansible playbook (bench/work/), run by every runner on the same hosts.
 * Prints one table: wall time, controller CPU time and peak RSS of each runner,
 * first run (everything changes) and re-run (nothing changes but the commands),
 * min and median of --runs repetitions, and tsplay ÷ each runner.
 *
 *   npm run bench                                   the full matrix (long: Ansible's defaults at 100 hosts)
 *   npm run bench -- --quick                        1 and 2 hosts, one run each, every runner
 *   npm run bench -- --hosts 1,10,30 --runs 3 --runners tsplay,floor,mitogen
 *   npm run bench -- --hosts 500 --runners tsplay,floor --work commands --runs 1
 *   npm run bench -- --target lab --hosts 30         on the lab's nodes (takes the lab lock)
 *   npm run bench -- --hosts 100 --runners tsplay --work modules   assemble, template, blockinfile, replace, known_hosts, unarchive, find, stat, slurp, getent... (bench/work/modules.yml; no floor)
 *   npm run bench -- --quick --dist DIR             tsplay from a build in DIR (not built; the tests pass theirs)
 *
 * Runners: ansible (ansible-playbook, defaults), tuned (forks = hosts,
 * pipelining, ControlPersist), mitogen (Debian ansible-mitogen,
 * strategy = mitogen_linear), tsplay, floor (bench/floor.mjs: the same commands
 * as plain shell over one open connection per host, one command per round trip).
 * Every run is bounded by --timeout seconds; a runner that times out at some
 * host count is reported as such and skipped at larger counts.
 * Needs root (sshd targets, cgroups) on Debian 12.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hermeticAnsibleEnv } from '../tests/helpers/ansible-env.js';
import { killCurrent, measure, type Measured } from './lib/measure.js';
import { labTargets, sshdTargets, writeFloorHosts, writeInventory, type Targets } from './lib/targets.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const LAB_TEST_LOCK = '/run/tsplay-lab-tests.lock';
const MAX_HOSTS = 2000;
const RUNNERS = ['ansible', 'tuned', 'mitogen', 'tsplay', 'floor'] as const;
const WORKS = ['mixed', 'commands', 'modules'] as const;
/**
 * What each work changes, per host: every task on a first run; on a re-run
 * the commands of `mixed` (5) and of `commands` (20), nothing of `modules`
 * (whose first run leaves 5 of its 20 tasks ok: the reads and the assert).
 */
const CHANGED: Record<(typeof WORKS)[number], { first: number; rerun: number }> = {
  mixed: { first: 20, rerun: 5 },
  commands: { first: 20, rerun: 20 },
  modules: { first: 15, rerun: 0 },
};
type Runner = (typeof RUNNERS)[number];
const LABELS: Record<Runner, string> = {
  ansible: 'ansible-playbook (defaults)',
  tuned: 'ansible-playbook (tuned)',
  mitogen: 'ansible + mitogen',
  tsplay: 'tsplay',
  floor: 'floor (plain shell)',
};

interface Options {
  hosts: number[];
  runs: number;
  runners: Runner[];
  work: 'mixed' | 'commands' | 'modules';
  target: 'sshd' | 'lab';
  timeoutS: number;
  build: boolean;
  /** The dist folder whose bin/tsplay.cjs runs; this checkout's dist/ (built first) unless given. */
  dist: string;
  json?: string;
}

function usage(): never {
  process.stderr.write(
    'usage: npm run bench -- [--hosts 1,10,30,100] [--runs 3] [--runners ansible,tuned,mitogen,tsplay,floor]\n' +
      '                        [--work mixed|commands|modules] [--target sshd|lab] [--timeout SECONDS] [--quick] [--no-build] [--dist DIR] [--json FILE]\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = { hosts: [1, 10, 30, 100], runs: 3, runners: [...RUNNERS], work: 'mixed', target: 'sshd', timeoutS: 300, build: true, dist: join(repo, 'dist') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const val = () => inline ?? argv[++i] ?? usage();
    switch (flag) {
      case '--hosts':
        o.hosts = val().split(',').map(Number);
        // The sshd targets take 250 loopback addresses per /24 from 127.0.40.1
        // (bench/lib/targets.ts); 2,000 stays clear of the lab's and tests' ranges.
        if (o.hosts.some((n) => !Number.isInteger(n) || n < 1)) usage();
        if (Math.max(...o.hosts) > MAX_HOSTS) {
          process.stderr.write(`bench: --hosts ${Math.max(...o.hosts)}: at most ${MAX_HOSTS} hosts (one sshd each on 127.0.40.1 onwards)\n`);
          process.exit(2);
        }
        break;
      case '--runs':
        o.runs = Number(val());
        if (!Number.isInteger(o.runs) || o.runs < 1) usage();
        break;
      case '--runners':
        o.runners = val().split(',') as Runner[];
        if (o.runners.some((r) => !RUNNERS.includes(r))) usage();
        break;
      case '--work':
        o.work = val() as Options['work'];
        if (!(WORKS as readonly string[]).includes(o.work)) usage();
        break;
      case '--target':
        o.target = val() as Options['target'];
        if (o.target !== 'sshd' && o.target !== 'lab') usage();
        break;
      case '--timeout':
        o.timeoutS = Number(val());
        if (!(o.timeoutS > 0)) usage();
        break;
      case '--quick':
        o.hosts = [1, 2];
        o.runs = 1;
        o.timeoutS = 120;
        break;
      case '--no-build':
        o.build = false;
        break;
      case '--dist':
        // A build made elsewhere (the tests' own): used as it is, never rebuilt.
        o.dist = resolve(val());
        o.build = false;
        break;
      case '--json':
        o.json = val();
        break;
      default:
        usage();
    }
  }
  if (o.target === 'lab' && Math.max(...o.hosts) > 230) throw new Error('the lab has at most 230 nodes; use --target sshd for more');
  return o;
}

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

/** Debian's ansible-mitogen, installed as the lab installs its packages. */
function ensureMitogen(): string | undefined {
  const dir = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy';
  if (!existsSync(dir)) {
    log('installing Debian package ansible-mitogen');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const args = ['install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=300', '--no-install-recommends', 'ansible-mitogen'];
    if (spawnSync('apt-get', args, { env, stdio: 'ignore' }).status !== 0) {
      spawnSync('apt-get', ['update', '-q', '-o', 'DPkg::Lock::Timeout=300'], { env, stdio: 'ignore' });
      spawnSync('apt-get', args, { env, stdio: 'ignore' });
    }
  }
  return existsSync(dir) ? dir : undefined;
}

function version(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').split('\n')[0].trim();
}

interface Recap {
  hosts: number;
  ok: number;
  changed: number;
  failed: number;
  unreachable: number;
}

/** ansible-playbook's PLAY RECAP lines, which tsplay prints the same way. */
function recap(out: string): Recap {
  const r: Recap = { hosts: 0, ok: 0, changed: 0, failed: 0, unreachable: 0 };
  for (const m of out.matchAll(/^\S+\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
    r.hosts++;
    r.ok += Number(m[1]);
    r.changed += Number(m[2]);
    r.unreachable += Number(m[3]);
    r.failed += Number(m[4]);
  }
  return r;
}

interface RunResult extends Measured {
  error?: string;
}

interface Cell {
  runner: Runner;
  hosts: number;
  first: RunResult[];
  rerun: RunResult[];
  /** why the runner did not run or did not finish */
  note?: string;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (it starts sshd servers and uses cgroups)');
  if (o.target === 'lab' && !process.env.TSPLAY_BENCH_LAB_LOCKED) {
    // Hold the lab tests' lock for the whole benchmark: the lab is shared.
    const r = spawnSync('flock', [LAB_TEST_LOCK, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, TSPLAY_BENCH_LAB_LOCKED: '1' },
    });
    process.exit(r.status ?? 1);
  }
  if (o.build && o.runners.includes('tsplay')) {
    // Not `npm run build`: it would rewrite the precompiled schemas under a test run reading them.
    log('building tsplay (tsc, and the launcher of the installed command)');
    const r = spawnSync('npx', ['tsc', '-p', join(repo, 'tsconfig.json')], { cwd: repo, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('tsc failed');
    const l = spawnSync(process.execPath, [join(repo, 'scripts/build-launcher.mjs')], { cwd: repo, stdio: 'inherit' });
    if (l.status !== 0) throw new Error('scripts/build-launcher.mjs failed');
  }
  // The floor runs without the CA bundle Node would parse at start, as tsplay's launcher runs tsplay.
  const floorEnv = { ...process.env };
  delete floorEnv.NODE_EXTRA_CA_CERTS;
  const mitogenDir = o.runners.includes('mitogen') ? ensureMitogen() : undefined;
  const hasAnsible = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;

  const dir = join(os.tmpdir(), `tsplay-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const max = Math.max(...o.hosts);
  const targets: Targets = o.target === 'lab' ? labTargets(max, repo, log) : await sshdTargets(max, dir, log);
  const cells: Cell[] = [];
  const started = new Date();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await targets.stop();
  };
  // Ctrl-C (or SIGTERM): the run in progress ends, and the table shows what was measured so far.
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log('interrupted: ending the run in progress, then the table of what was measured');
    void killCurrent();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    const tsplayPlaybook = o.work === 'mixed' ? join(here, 'work/tsplay.yml') : o.work === 'modules' ? join(here, 'work/modules.yml') : join(dir, 'commands.yml');
    const ansiblePlaybook = o.work === 'mixed' ? join(here, 'work/ansible.yml') : o.work === 'modules' ? join(here, 'work/modules.yml') : join(dir, 'commands.yml');
    if (o.work === 'commands') {
      const tasks = Array.from({ length: 20 }, (_, i) => `    - name: command ${i + 1}\n      command: echo bench-${i + 1}`).join('\n');
      writeFileSync(join(dir, 'commands.yml'), `- hosts: bench\n  gather_facts: false\n  tasks:\n${tasks}\n`);
    }
    const expected = (first: boolean, n: number) => (first ? CHANGED[o.work].first : CHANGED[o.work].rerun) * n;
    const gaveUp = new Map<Runner, string>();

    for (const n of o.hosts) {
      if (interrupted) break;
      const inventory = join(dir, `hosts-${n}`);
      const floorHosts = join(dir, `floor-${n}.json`);
      writeInventory(targets, n, inventory);
      writeFloorHosts(targets, n, floorHosts);
      for (const runner of o.runners) {
        const cell: Cell = { runner, hosts: n, first: [], rerun: [] };
        cells.push(cell);
        if (interrupted) {
          cell.note = 'not run: interrupted';
          continue;
        }
        if (runner === 'floor' && o.work === 'modules') {
          cell.note = 'no floor: the modules work has no plain-shell version';
          continue;
        }
        if (gaveUp.has(runner)) {
          cell.note = gaveUp.get(runner);
          continue;
        }
        if (['ansible', 'tuned', 'mitogen'].includes(runner) && !hasAnsible) {
          cell.note = 'ansible-playbook not installed';
          continue;
        }
        if (runner === 'mitogen' && !mitogenDir) {
          cell.note = 'ansible-mitogen not installable';
          continue;
        }
        const { env: ansibleEnv, home } = hermeticAnsibleEnv('tsplay-bench-ansible-');
        const cfg = join(home, 'ansible.cfg');
        const forks = n;
        writeFileSync(
          cfg,
          runner === 'ansible'
            ? '[defaults]\nhost_key_checking = True\n'
            : runner === 'tuned'
              ? `[defaults]\nforks = ${forks}\nhost_key_checking = True\n[ssh_connection]\npipelining = True\nssh_args = -o ControlMaster=auto -o ControlPersist=60s\n`
              : `[defaults]\nforks = ${forks}\nhost_key_checking = True\nstrategy_plugins = ${mitogenDir}\nstrategy = mitogen_linear\n`,
        );
        const command = (root: string): [string, string[], NodeJS.ProcessEnv] => {
          switch (runner) {
            case 'tsplay':
              // The installed command, as an operator runs it (its launcher included).
              return [join(o.dist, 'bin/tsplay.cjs'), ['run', tsplayPlaybook, '-i', inventory, '-e', `bench_root=${root}`, '--forks', String(forks)], { ...process.env, CI: '1' }];
            case 'floor':
              return [process.execPath, [join(here, 'floor.mjs'), floorHosts, root, o.work], floorEnv];
            default:
              return ['ansible-playbook', ['-i', inventory, ansiblePlaybook, '-e', `bench_root=${root}`], { ...ansibleEnv, ANSIBLE_CONFIG: cfg }];
          }
        };
        for (let rep = 0; rep < o.runs && !cell.note; rep++) {
          const root = `${targets.rootBase}/${runner}-${n}-${rep}`;
          // Loopback hosts share this machine's file system: the folder all of them work
          // under exists before the run, as /tmp does on real hosts, so no runner's
          // hosts race each other to create it.
          if (targets.kind === 'sshd') {
            mkdirSync(root, { recursive: true });
            chmodSync(root, 0o1777);
          }
          for (const first of [true, false]) {
            const [cmd, args, env] = command(root);
            log(`${LABELS[runner]}, ${n} hosts, ${first ? 'first run' : 're-run'} ${rep + 1}/${o.runs}`);
            const m: RunResult = await measure(cmd, args, { env, timeoutMs: o.timeoutS * 1000, cwd: dir });
            if (interrupted) {
              cell.note = 'interrupted';
              break;
            }
            if (m.timedOut) {
              cell.note = `timed out (> ${o.timeoutS} s)`;
              gaveUp.set(runner, `skipped: timed out at ${n} hosts`);
              break;
            }
            if (runner === 'floor') {
              if (m.code !== 0) m.error = `exit ${m.code}: ${m.stderr.trim().split('\n').slice(-2).join(' ')}`;
            } else {
              const r = recap(m.stdout);
              const want = expected(first, n);
              if (m.code !== 0 || r.hosts !== n || r.failed || r.unreachable) {
                m.error = `exit ${m.code}, ${r.hosts}/${n} hosts in recap, failed=${r.failed} unreachable=${r.unreachable}: ${(m.stderr + m.stdout).trim().split('\n').filter((l) => /ERROR|fatal|UNREACHABLE|FAILED|rror/.test(l)).slice(0, 2).join(' ').slice(0, 300)}`;
              } else if (r.changed !== want) {
                m.error = `changed=${r.changed}, expected ${want}`;
              }
            }
            if (m.error) {
              log(`  ${m.error}`);
              cell.note = `failed: ${m.error}`;
              break;
            }
            log(`  ${(m.wallMs / 1000).toFixed(2)} s wall, ${(m.cpuMs / 1000).toFixed(2)} s CPU, ${m.rssMb.toFixed(0)} MB`);
            (first ? cell.first : cell.rerun).push(m);
          }
        }
      }
    }
  } finally {
    await stop();
  }

  const machine = `${os.cpus().length} cpus (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}, ${version('ansible-playbook', ['--version'])}, load ${os.loadavg()[0].toFixed(1)}`;
  const table = render(cells, o, machine, started);
  process.stdout.write(table);
  if (interrupted) process.exitCode = 130;
  if (o.json) writeFileSync(o.json, JSON.stringify({ options: o, machine, started, cells: cells.map(({ first, rerun, ...c }) => ({ ...c, first: first.map(strip), rerun: rerun.map(strip) })) }, null, 2));
}

const strip = ({ stdout: _o, stderr: _e, ...m }: RunResult) => m;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function render(cells: Cell[], o: Options, machine: string, started: Date): string {
  const out: string[] = [];
  out.push(
    `tsplay benchmark, ${started.toISOString()}: ${o.work === 'mixed' ? '20 tasks per host (5 command, 5 copy, 5 lineinfile, 5 file)' : o.work === 'modules' ? '20 tasks per host of 15 modules (bench/work/modules.yml)' : '20 command tasks per host'}, gather_facts: false,`,
    `targets: ${o.target === 'lab' ? "the lab's nodes (systemd-nspawn, sshd, root)" : 'one sshd per host on loopback addresses'}; ${o.runs} run(s) each, min / median; CPU = controller CPU (every process the runner started); RSS = peak, all its processes.`,
    `machine: ${machine}`,
    '',
  );
  const head = ['hosts', 'runner', 'first: min', 'median', 'CPU', 'RSS', 're-run: min', 'median', 'CPU', 'RSS', 'tsplay÷ first', 're-run'];
  const rows: string[][] = [head];
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  for (const n of o.hosts) {
    const ts = cells.find((c) => c.hosts === n && c.runner === 'tsplay' && c.first.length && c.rerun.length);
    for (const c of cells.filter((x) => x.hosts === n)) {
      const cols = [String(n), LABELS[c.runner]];
      for (const runs of [c.first, c.rerun]) {
        if (!runs.length) {
          cols.push('-', '-', '-', '-');
          continue;
        }
        cols.push(s(Math.min(...runs.map((r) => r.wallMs))), s(median(runs.map((r) => r.wallMs))), s(median(runs.map((r) => r.cpuMs))), `${Math.max(...runs.map((r) => r.rssMb)).toFixed(0)} MB`);
      }
      if (ts && c.first.length && c.rerun.length && c.runner !== 'tsplay') {
        cols.push(ratio(median(ts.first.map((r) => r.wallMs)), median(c.first.map((r) => r.wallMs))), ratio(median(ts.rerun.map((r) => r.wallMs)), median(c.rerun.map((r) => r.wallMs))));
      } else cols.push('', '');
      if (c.note) cols.push(c.note.length > 120 ? `${c.note.slice(0, 117)}...` : c.note);
      rows.push(cols);
    }
  }
  const widths = head.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) out.push(r.map((c, i) => (i < 2 || i >= head.length ? c.padEnd(i < head.length ? widths[i] : 0) : c.padStart(widths[i]))).join('  ').trimEnd());
  out.push('', 'tsplay÷ X: tsplay median wall time divided by X\'s (0.05 = tsplay takes 1/20 of the time); same session, same hosts.');
  const per = cells.filter((c) => c.runner === 'tsplay' && c.rerun.length);
  for (const c of per) {
    const all = [...c.first, ...c.rerun];
    out.push(`tsplay at ${c.hosts} hosts: ${(median(all.map((r) => r.cpuMs)) / (c.hosts * 20)).toFixed(2)} ms controller CPU per host-task (median over first and re-runs)`);
  }
  return out.join('\n') + '\n';
}

function ratio(a: number, b: number): string {
  return (a / b).toFixed(a / b < 0.1 ? 3 : 2);
}

main().catch((e) => {
  process.stderr.write(`bench: error: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
