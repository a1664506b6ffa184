/**
 * Runs one command the way the benchmark measures it: in a cgroup of its own
 * (cgroup v1 cpuacct), so its controller CPU time counts every process it
 * starts, also the ssh clients and the ControlPersist masters that leave their
 * parent; peak RSS is the largest sum of its processes' resident memory,
 * sampled, or the largest single process as the kernel counted it
 * (/usr/bin/time), whichever is more. A timeout kills the whole cgroup.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CPUACCT = '/sys/fs/cgroup/cpuacct';
const PAGE = 4096;

export interface Measured {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

let seq = 0;
/** The cgroup of the run in progress, so an interrupted benchmark can end it. */
let current: string | undefined;

/** Kills the run in progress (Ctrl-C on the benchmark); its result is marked killed. */
export async function killCurrent(): Promise<void> {
  if (current) await killAll(current);
}

function pidsOf(cg: string): number[] {
  try {
    return readFileSync(join(cg, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function rssOf(pids: number[]): number {
  let sum = 0;
  for (const p of pids) {
    try {
      sum += Number(readFileSync(`/proc/${p}/statm`, 'utf8').split(' ')[1]) * PAGE;
    } catch {
      // gone
    }
  }
  return sum;
}

async function killAll(cg: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const pids = pidsOf(cg);
    if (!pids.length) return;
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function measure(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string }): Promise<Measured> {
  if (!existsSync(CPUACCT)) throw new Error(`the benchmark needs cgroup v1 cpuacct (${CPUACCT}) and root`);
  const cg = join(CPUACCT, `tsplay-bench-${process.pid}-${seq++}`);
  mkdirSync(cg);
  current = cg;
  const timeFile = join(tmpdir(), `tsplay-bench-time-${process.pid}-${seq}`);
  const t0 = process.hrtime.bigint();
  const child = spawn(
    'bash',
    ['-c', 'echo $$ > "$0/cgroup.procs" && exec /usr/bin/time -f %M -o "$1" "${@:2}"', cg, timeFile, cmd, ...args],
    { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(pidsOf(cg)));
  }, 100);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void killAll(cg);
  }, opts.timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  current = undefined;
  clearTimeout(timer);
  clearInterval(sampler);
  // What the run left behind (ssh ControlPersist masters) goes now; its CPU counted.
  await killAll(cg);
  const cpuMs = Number(readFileSync(join(cg, 'cpuacct.usage'), 'utf8')) / 1e6;
  try {
    rmdirSync(cg);
  } catch {
    // a process still exiting; the folder goes with the next run's cleanup
  }
  let maxrssKb = 0;
  try {
    maxrssKb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop());
    rmSync(timeFile, { force: true });
  } catch {
    // killed before time wrote it
  }
  return { wallMs, cpuMs, rssMb: Math.max(peak / 2 ** 20, (maxrssKb || 0) / 1024), code, timedOut, stdout, stderr };
}
