/**
 * The hosts the benchmark runs against.
 *
 * - sshd: one real OpenSSH server per host on its own loopback address
 *   (127.0.40.1 onwards, 250 per /24; the lab keeps 127.0.10.0/24 and tests
 *   127.0.20.0/24), logging in as the tests' user. Light enough for 500 hosts.
 * - lab: the lab's plain nodes (node-i on 127.0.10.(20+i), systemd, sshd,
 *   python3), brought up with `npm run lab -- up --nodes N` and logged into as root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTestUsers, makeKey, startSshd, TEST_USER, type Sshd } from '../../tests/helpers/sshd.js';

export interface Target {
  name: string;
  host: string;
  port: number;
  user: string;
  /** base64 of the host's ed25519 public key */
  hostKey: string;
}

export interface Targets {
  kind: 'sshd' | 'lab';
  hosts: Target[];
  key: string;
  knownHosts: string;
  /** Where a run's bench_root folders go on the hosts. */
  rootBase: string;
  stop(): Promise<void>;
}

export function benchAddress(i: number): string {
  return `127.0.${40 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

export async function sshdTargets(count: number, dir: string, log: (s: string) => void): Promise<Targets> {
  ensureTestUsers();
  const key = makeKey(dir, 'id_ed25519');
  const hostKeyDir = join(dir, 'hostkeys');
  mkdirSync(hostKeyDir, { mode: 0o700 });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench-host', '-f', join(hostKeyDir, 'ssh_host_ed25519_key')]);
  const servers: Sshd[] = [];
  const t0 = Date.now();
  for (let i = 0; i < count; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, count - i) }, (_, j) =>
        startSshd({
          address: benchAddress(i + j),
          hostKeyDir,
          authorized: { [TEST_USER]: [key.line] },
          // A quiet server: the log of 500 servers is kept in memory otherwise.
          config: 'LogLevel ERROR\nMaxSessions 50',
        }),
      ),
    );
    servers.push(...batch);
  }
  log(`${count} sshd servers on 127.0.40.1 onwards started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, servers.flatMap((s) => s.knownHostsLines()).join('\n') + '\n');
  const hostKey = servers[0].hostPublicKey().split(/\s+/)[1];
  const rootBase = join('/tmp', `tsplay-bench-${process.pid}`);
  mkdirSync(rootBase, { recursive: true });
  chmodSync(rootBase, 0o1777);
  return {
    kind: 'sshd',
    hosts: servers.map((s, i) => ({ name: `h${String(i).padStart(3, '0')}`, host: s.address, port: s.port, user: TEST_USER, hostKey })),
    key: key.private,
    knownHosts,
    rootBase,
    async stop() {
      for (let i = 0; i < servers.length; i += 50) await Promise.all(servers.slice(i, i + 50).map((s) => s.stop()));
      spawnSync('rm', ['-rf', '--one-file-system', rootBase]);
    },
  };
}

export function labTargets(count: number, repo: string, log: (s: string) => void): Targets {
  const lab = (...args: string[]) => {
    const r = spawnSync('bash', [join(repo, 'lab/lab.sh'), ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`npm run lab -- ${args.join(' ')} failed (exit ${r.status})`);
  };
  const t0 = Date.now();
  lab('up', '--nodes', String(count));
  log(`lab: ${count} nodes up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const gen = join(repo, 'inventories/lab/.lab');
  const knownHosts = join(gen, 'known_hosts');
  const keys = new Map<string, string>();
  for (const line of readFileSync(knownHosts, 'utf8').split('\n')) {
    const [names, , b64] = line.split(' ');
    if (names) for (const n of names.split(',')) keys.set(n, b64);
  }
  const hosts = Array.from({ length: count }, (_, i) => {
    const name = `node-${i}`;
    return { name, host: `127.0.10.${20 + i}`, port: 22, user: 'root', hostKey: keys.get(name)! };
  });
  return {
    kind: 'lab',
    hosts,
    key: join(gen, 'id_ed25519'),
    knownHosts,
    rootBase: `/tmp/tsplay-bench-${process.pid}`,
    async stop() {
      // Back to the default lab: the nodes and what the runs wrote on them go.
      lab('up');
    },
  };
}

/** The INI inventory of the first n targets, in group [bench]. */
export function writeInventory(t: Targets, n: number, file: string): void {
  const lines = ['[bench]'];
  for (const h of t.hosts.slice(0, n)) lines.push(`${h.name} ansible_host=${h.host} ansible_port=${h.port}`);
  lines.push(
    '',
    '[bench:vars]',
    `ansible_user=${t.hosts[0].user}`,
    `ansible_ssh_private_key_file=${t.key}`,
    'ansible_python_interpreter=/usr/bin/python3',
    `ansible_ssh_common_args='-o UserKnownHostsFile=${t.knownHosts} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes'`,
    '',
  );
  writeFileSync(file, lines.join('\n'));
}

/** The floor's host list (bench/floor.mjs). */
export function writeFloorHosts(t: Targets, n: number, file: string): void {
  writeFileSync(file, JSON.stringify(t.hosts.slice(0, n).map((h) => ({ ...h, key: t.key }))));
}
