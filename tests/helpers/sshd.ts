/**
 * Real OpenSSH servers for tests and benchmarks: each on its own loopback
 * address (127.0.20.0/24) and a random high port, with host keys generated
 * in a temp dir, started as root with `sshd -D -e -f <config>`.
 *
 * Test users (idempotent, under a lock so parallel test files agree):
 *   tsplaytest  password TEST_PASSWORD, sudo without password
 *   tsplaypw    password PW_USER_PASSWORD, sudo asks for the password
 *   tsplayother password OTHER_PASSWORD, no sudo (target of su)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_USER = 'tsplaytest';
export const TEST_PASSWORD = 'Tsplay-test-1';
export const PW_USER = 'tsplaypw';
export const PW_USER_PASSWORD = 'Tsplay-pw-2';
export const OTHER_USER = 'tsplayother';
export const OTHER_PASSWORD = 'Tsplay-other-3';

const LOCK = '/tmp/tsplay-test-setup.lock';

function sh(script: string): string {
  return execFileSync('flock', [LOCK, 'bash', '-euc', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** openssh-server, openssh-client and sudo, installed when missing (CI starts from a bare Debian 12). */
export function ensureSshTools(): void {
  const need = ['/usr/sbin/sshd', '/usr/bin/ssh-keygen', '/usr/bin/ssh-agent', '/usr/bin/ssh-add', '/usr/bin/sudo'].some((p) => !existsSync(p));
  if (need) {
    execFileSync('flock', [LOCK, 'bash', '-euc', 'export DEBIAN_FRONTEND=noninteractive; apt-get install -y openssh-server openssh-client sudo || { apt-get update && apt-get install -y openssh-server openssh-client sudo; }'], {
      stdio: 'inherit',
    });
  }
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
}

let usersReady = false;

export function ensureTestUsers(): void {
  if (usersReady) return;
  ensureSshTools();
  sh(`
    for u in ${TEST_USER} ${PW_USER} ${OTHER_USER}; do
      id "$u" >/dev/null 2>&1 || useradd -m -s /bin/bash "$u"
    done
    printf '%s\\n' '${TEST_USER}:${TEST_PASSWORD}' '${PW_USER}:${PW_USER_PASSWORD}' '${OTHER_USER}:${OTHER_PASSWORD}' | chpasswd
    f=/etc/sudoers.d/tsplay-tests
    t=$(mktemp /etc/sudoers.d/.tsplay-tests.XXXXXX)
    cat > "$t" <<'EOF'
Defaults:${TEST_USER},${PW_USER} lecture=never
${TEST_USER} ALL=(ALL:ALL) NOPASSWD: ALL
${PW_USER} ALL=(ALL:ALL) ALL
EOF
    chmod 0440 "$t"
    visudo -cqf "$t"
    mv -f "$t" "$f"
  `);
  usersReady = true;
}

export function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}
export function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}

export type KeyType = 'ed25519' | 'rsa' | 'ecdsa';

export interface KeyPair {
  private: string;
  public: string;
  /** The public key line (type base64 comment). */
  line: string;
}

/** A key pair in `dir` (files readable by the test only). */
export function makeKey(dir: string, name: string, type: KeyType = 'ed25519', comment = name): KeyPair {
  mkdirSync(dir, { recursive: true });
  const priv = join(dir, name);
  rmSync(priv, { force: true });
  rmSync(`${priv}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', comment, '-f', priv]);
  return { private: priv, public: `${priv}.pub`, line: readFileSync(`${priv}.pub`, 'utf8').trim() };
}

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** A temp dir anyone can traverse (sshd reads authorized_keys as the logging-in user); removed at exit. */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `tsplay-${prefix}-`));
  chmodSync(d, 0o755);
  tempDirs.push(d);
  return d;
}

export interface SshdOptions {
  address: string;
  port?: number;
  /** Host key types to generate (default ed25519). */
  hostKeyTypes?: KeyType[];
  /** Reuse another server's host keys (same identity, e.g. a restarted host). */
  hostKeyDir?: string;
  /** Extra sshd_config lines. */
  config?: string;
  /** authorized_keys per user: user -> public key lines. */
  authorized?: Record<string, string[]>;
}

export interface Sshd {
  address: string;
  port: number;
  dir: string;
  hostKeyDir: string;
  pid: number;
  /** known_hosts lines for this server, one per host key type. */
  knownHostsLines(types?: KeyType[]): string[];
  hostPublicKey(type?: KeyType): string;
  log(): string;
  /** TCP connections sshd has accepted so far. */
  connectionCount(): number;
  authorize(user: string, line: string): void;
  /** SIGKILL sshd and every process under it: the host is gone, mid-command too. */
  kill(): void;
  stop(): Promise<void>;
}

function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 40000);
}

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid)!.push(Number(e));
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Is something listening on address:port already? (then pick another port) */
function portFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, address, () => s.close(() => resolve(true)));
  });
}

export async function freePort(address: string): Promise<number> {
  for (;;) {
    const p = randomPort();
    if (await portFree(address, p)) return p;
  }
}

export async function startSshd(opts: SshdOptions): Promise<Sshd> {
  ensureSshTools();
  const dir = tempDir('sshd');
  const hostKeyDir = opts.hostKeyDir ?? join(dir, 'hostkeys');
  const types = opts.hostKeyTypes ?? ['ed25519'];
  if (!opts.hostKeyDir) {
    mkdirSync(hostKeyDir, { mode: 0o700 });
    for (const t of types) execFileSync('ssh-keygen', ['-q', '-t', t, '-N', '', '-C', `host-${opts.address}`, '-f', join(hostKeyDir, `ssh_host_${t}_key`)]);
  }
  const akDir = join(dir, 'authorized_keys');
  mkdirSync(akDir, { mode: 0o755 });
  const authorize = (user: string, line: string) => {
    const f = join(akDir, user);
    const prev = existsSync(f) ? readFileSync(f, 'utf8') : '';
    writeFileSync(f, `${prev}${line}\n`, { mode: 0o644 });
  };
  for (const [user, lines] of Object.entries(opts.authorized ?? {})) for (const l of lines) authorize(user, l);

  for (let attempt = 0; ; attempt++) {
    const port = opts.port ?? (await freePort(opts.address));
    const configFile = join(dir, 'sshd_config');
    writeFileSync(
      configFile,
      [
        `ListenAddress ${opts.address}:${port}`,
        ...types.map((t) => `HostKey ${join(hostKeyDir, `ssh_host_${t}_key`)}`),
        'PidFile none',
        'UsePAM no',
        'StrictModes no',
        `AuthorizedKeysFile ${akDir}/%u`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication yes',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin yes',
        'AllowTcpForwarding yes',
        'Subsystem sftp internal-sftp',
        'LogLevel VERBOSE',
        'MaxStartups 100:30:200',
        'UseDNS no',
        opts.config ?? '',
      ].join('\n') + '\n',
    );
    let log = '';
    const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const started = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      const check = () => {
        if (/Server listening on/.test(log)) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      child.stderr!.on('data', check);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!started) {
      child.kill('SIGKILL');
      if (/Address already in use/.test(log) && !opts.port && attempt < 5) continue;
      throw new Error(`sshd on ${opts.address}:${port} did not start:\n${log}`);
    }
    const pid = child.pid!;
    let exited = false;
    child.once('exit', () => (exited = true));
    const sshd: Sshd = {
      address: opts.address,
      port,
      dir,
      hostKeyDir,
      pid,
      hostPublicKey(type: KeyType = types[0]) {
        return readFileSync(join(hostKeyDir, `ssh_host_${type}_key.pub`), 'utf8').trim();
      },
      knownHostsLines(ts: KeyType[] = types) {
        const name = port === 22 ? opts.address : `[${opts.address}]:${port}`;
        return ts.map((t) => {
          const [kt, b64] = sshd.hostPublicKey(t).split(/\s+/);
          return `${name} ${kt} ${b64}`;
        });
      },
      log: () => log,
      connectionCount() {
        const re = new RegExp(`Connection from \\S+ port \\d+ on ${opts.address.replace(/\./g, '\\.')} port ${port}\\b`, 'g');
        return (log.match(re) ?? []).length;
      },
      authorize,
      kill() {
        for (const p of [pid, ...descendants(pid)]) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {}
        }
      },
      async stop() {
        if (!exited) {
          const gone = new Promise((r) => child.once('exit', r));
          // Session processes outlive the listener; end them too so nothing is left behind.
          const kids = descendants(pid);
          child.kill('SIGTERM');
          for (const p of kids) {
            try {
              process.kill(p, 'SIGKILL');
            } catch {}
          }
          await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
          if (!exited) child.kill('SIGKILL');
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return sshd;
  }
}

/** An ssh-agent of our own, with the given keys added. */
export async function startAgent(dir: string, keys: string[]): Promise<{ sock: string; stop: () => void }> {
  const sock = join(dir, `agent-${process.pid}.sock`);
  const out = execFileSync('ssh-agent', ['-s', '-a', sock], { encoding: 'utf8' });
  const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)![1]);
  for (const k of keys) execFileSync('ssh-add', ['-q', k], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
  return {
    sock,
    stop: () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {}
    },
  };
}
