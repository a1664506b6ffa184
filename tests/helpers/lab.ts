/**
 * The lab (lab/lab.sh) for tests: OpenShift-3.11-shaped masters as systemd-nspawn
 * containers on 127.0.10.0/24. Needs root on Debian 12; lab.sh installs its own
 * Debian packages and builds its image on first use.
 *
 * Test files that use the lab run one at a time: the first call to ensureLabUp()
 * takes an exclusive lock (LAB_TEST_LOCK) held until the test process exits.
 *
 *   await ensureLabUp();               // 3 masters + lb, etcd healthy, known data loaded
 *   await labExec('master-0', 'etcdctl3 --endpoints=https://127.0.10.1:2379 member list');
 *   await resetLab();                  // clean cluster again, between scenarios that break it
 *   (await verifyData()).matching      // 1000 when every known key reads back right
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LAB_SCRIPT = join(REPO, 'lab/lab.sh');
/** The committed inventory; it matches the default lab of 3 masters. */
export const LAB_INVENTORY = join(REPO, 'inventories/lab/hosts');
/** Private key accepted by root, deploy and ops on every host (written by `up`). */
export const LAB_KEY = join(REPO, 'inventories/lab/.lab/id_ed25519');
/** known_hosts for every host's address and names (written by `up`). */
export const LAB_KNOWN_HOSTS = join(REPO, 'inventories/lab/.lab/known_hosts');
export const LAB_TEST_LOCK = '/run/tsplay-lab-tests.lock';
/** deploy: sudo without a password; ops: sudo asks for LAB_USER_PASSWORD. */
export const LAB_SUDO_USER = 'deploy';
export const LAB_PASSWORD_SUDO_USER = 'ops';
export const LAB_USER_PASSWORD = 'tsplay-lab';
export const LAB_DATA_KEYS = 1000;

/** Address of a lab host: master-i is 127.0.10.(i+1), lb is 127.0.10.10. */
export function labAddress(host: string): string {
  if (host === 'lb') return '127.0.10.10';
  const m = /^master-(\d)$/.exec(host);
  if (!m) throw new Error(`not a lab host: ${host}`);
  return `127.0.10.${Number(m[1]) + 1}`;
}

/** A lab host's connection variables as an inventory gives them: the sudo user, the lab's key, its known_hosts checked strictly. */
export function labHostVars(host: string): Record<string, string> {
  return {
    ansible_host: labAddress(host),
    ansible_user: LAB_SUDO_USER,
    ansible_ssh_private_key_file: LAB_KEY,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${LAB_KNOWN_HOSTS} -o StrictHostKeyChecking=yes`,
  };
}

/** etcd client URLs of masters 0..n-1, comma-separated (for --endpoints=). */
export function etcdEndpoints(masters = 3): string {
  return Array.from({ length: masters }, (_, i) => `https://${labAddress(`master-${i}`)}:2379`).join(',');
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
}

/** Runs a command and collects its output; never throws on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ExecResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO, stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    // A command that exits before reading its input (the lab refusing a
    // non-root user at once) closes the pipe under our write: that is its
    // answer, not an error of the test, and its exit code says the rest.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') reject(e);
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ rc: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a lab verb (`bash lab/lab.sh ...args`). */
export function lab(...args: string[]): Promise<ExecResult> {
  return run('bash', [LAB_SCRIPT, ...args]);
}

async function labOrThrow(...args: string[]): Promise<ExecResult> {
  const r = await lab(...args);
  if (r.rc !== 0) throw new Error(`lab ${args.join(' ')} failed (rc ${r.rc}):\n${r.stderr}${r.stdout}`);
  return r;
}

let locked: Promise<void> | undefined;

/**
 * Takes the lab's test lock for the rest of this process: a `flock` child holds
 * it and exits when our end of its stdin closes, which also happens when this
 * process is killed, so the lock cannot outlive its owner.
 */
export function lockLab(): Promise<void> {
  locked ??= new Promise((resolvePromise, reject) => {
    const child = spawn('flock', ['-x', LAB_TEST_LOCK, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.on('error', reject);
    child.stdout.once('data', () => {
      child.unref();
      (child.stdin as unknown as { unref(): void }).unref();
      (child.stdout as unknown as { unref(): void }).unref();
      resolvePromise();
    });
    child.on('exit', (code) => reject(new Error(`could not lock ${LAB_TEST_LOCK} (flock exited ${code})`)));
  });
  return locked;
}

let up: Promise<void> | undefined;

/**
 * Brings the default lab up once per test process (3 masters + lb, etcd healthy,
 * known data loaded). A lab another run left broken is rebuilt with `reset`.
 */
export function ensureLabUp(): Promise<void> {
  up ??= (async () => {
    await lockLab();
    const r = await lab('up');
    if (r.rc !== 0) await labOrThrow('reset', '--masters', '3');
  })();
  return up;
}

/** Back to a clean, healthy 3-master cluster with the known data (a few seconds). */
export async function resetLab(): Promise<void> {
  await lockLab();
  await labOrThrow('reset', '--masters', '3');
}

/** Runs a shell command inside a lab host as root (through nsenter, not SSH). */
export function labExec(host: string, cmd: string): Promise<ExecResult> {
  return lab('exec', host, '--', 'bash', '-c', cmd);
}

export interface DataCheck {
  /** Known keys the lab wrote. */
  expected: number;
  /** Keys read under the data prefix. */
  read: number;
  /** Keys whose value is the known one. */
  matching: number;
  /** sha256 of what was read; checksumOk when it equals the known data's. */
  checksum: string | null;
  checksumOk: boolean;
  /** Set when the read itself failed (e.g. no quorum for a linearizable read). */
  error?: string;
}

/** Reads the known keys back through the cluster; `serializable` reads without quorum. */
export async function verifyData(opts: { serializable?: boolean } = {}): Promise<DataCheck> {
  const r = await lab('verify-data', '--json', ...(opts.serializable ? ['--serializable'] : []));
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as DataCheck;
  } catch {
    throw new Error(`verify-data printed no result (rc ${r.rc}):\n${r.stderr}${r.stdout}`);
  }
}

export interface LabStatus {
  masters: number;
  hosts: {
    name: string;
    address: string;
    state: string;
    etcd?: {
      unit: string;
      enabled: string | null;
      healthy: boolean;
      memberId: string | null;
      leaderId: string | null;
      isLeader: boolean;
      raftIndex: number | null;
    };
  }[];
  haproxy: { backend: string; server: string; address: string; status: string }[];
}

/** `lab status --json`: each host's state, each member's health, leader and raft index, haproxy backends. */
export async function labStatus(): Promise<LabStatus> {
  const r = await labOrThrow('status', '--json');
  return JSON.parse(r.stdout) as LabStatus;
}

// ---- etcd topologies (lab/lib/topology.sh) and labs built like an operator's inventory ----

/** Address of any lab host by its lab id: master-i .(i+1), etcd-i .(11+i), lb .10, node-i .(20+i). */
export function labHostAddress(host: string): string {
  const etcd = /^etcd-(\d)$/.exec(host);
  if (etcd) return `127.0.10.${Number(etcd[1]) + 11}`;
  const node = /^node-(\d+)$/.exec(host);
  if (node) return `127.0.10.${Number(node[1]) + 20}`;
  return labAddress(host);
}

/** Client URLs of the given etcd members (lab ids), comma-separated (for --endpoints=). */
export function etcdEndpointsOf(members: string[]): string {
  return members.map((m) => `https://${labHostAddress(m)}:2379`).join(',');
}

/** The path `up`/`reset` printed as `lab: inventory: PATH`, or undefined. */
export function printedInventory(r: ExecResult): string | undefined {
  return /^lab: inventory: (.+)$/m.exec(r.stderr + r.stdout)?.[1];
}

/** The seconds `up`/`reset` reported for bringing the lab up (`... (12.3 s)`), for reports. */
export function reportedUpSeconds(r: ExecResult): number | undefined {
  const m = /^lab: up: .*\(([\d.]+) s\)$/m.exec(r.stderr);
  return m ? Number(m[1]) : undefined;
}

/**
 * Brings up the lab with these `up` arguments (e.g. `--etcd static-pod`,
 * `--etcd-hosts 3`, `--like PATH`) under the tests' lock; throws when it fails.
 * Call restoreDefaultLab() at the end of the file, so later test files find
 * the default lab.
 */
export async function labUpWith(...args: string[]): Promise<ExecResult> {
  await lockLab();
  return labOrThrow('up', ...args);
}

/** The default lab again (3 masters, etcd.service co-located), as `ensureLabUp` expects it. */
export async function restoreDefaultLab(): Promise<void> {
  await lockLab();
  const r = await lab('up');
  if (r.rc !== 0) await labOrThrow('reset', '--masters', '3', '--etcd-hosts', '0', '--etcd', 'service');
}

/** One host of `lab status --json` with the topology fields. */
export interface TopologyHostStatus {
  name: string;
  address: string;
  state: string;
  inventoryName: string;
  etcd?: {
    deployment: 'service' | 'static-pod';
    unit: string;
    enabled: string | null;
    healthy: boolean;
    memberId: string | null;
    isLeader: boolean;
  };
}

/** `lab status --json` with the topology: dedicated etcd hosts, deployment, inventory names. */
export async function labTopologyStatus(): Promise<{ masters: number; etcdHosts: number; etcdDeployment: string; hosts: TopologyHostStatus[] }> {
  const r = await labOrThrow('status', '--json');
  return JSON.parse(r.stdout);
}

/** Polls `check` every 300 ms until it holds; fails after `timeoutMs` (far above a loaded machine's time). */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The lab host whose etcd member leads; an error unless exactly one does. */
export async function labLeader(): Promise<string> {
  const s = await labStatus();
  const leaders = s.hosts.filter((h) => h.etcd?.isLeader).map((h) => h.name);
  if (leaders.length !== 1) throw new Error(`expected one leader, lab status says ${JSON.stringify(leaders)}`);
  return leaders[0]!;
}
