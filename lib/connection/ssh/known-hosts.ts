/**
 * known_hosts, as OpenSSH reads and writes it: plain and hashed (`|1|salt|hash`)
 * names, `[host]:port` for ports other than 22, comma-separated patterns with
 * `*`, `?` and `!negation`, and the `@revoked` / `@cert-authority` markers.
 */
import { createHash, createHmac } from 'node:crypto';
import { promises as fs, constants as fsc } from 'node:fs';
import { dirname } from 'node:path';

export interface KnownHostEntry {
  file: string;
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** The host field as written (patterns or a hashed name). */
  hosts: string;
  keyType: string;
  key: Buffer;
}

export interface HostKeyCheck {
  result: 'ok' | 'unknown' | 'changed' | 'revoked' | 'other-type';
  /** For changed / other-type: the entries the offered key disagrees with. */
  known: KnownHostEntry[];
  revoked?: KnownHostEntry;
}

/** The name OpenSSH looks up: `host`, or `[host]:port` when the port is not 22. */
export function hostKeyName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** The algorithm name inside an SSH public key blob (e.g. ssh-ed25519). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** OpenSSH's fingerprint format: SHA256:<base64 without padding>. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** ED25519, RSA, ECDSA: the way OpenSSH names key types in its messages. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-dss') return 'DSA';
  return keyType;
}

/** The name `ssh-keyscan -t` takes for a key type. */
export function keyscanType(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ed25519';
  if (keyType === 'ssh-rsa') return 'rsa';
  if (keyType.startsWith('ecdsa-')) return 'ecdsa';
  return keyType;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const f = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (f[0].startsWith('@')) {
      const m = f.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else continue; // an unknown marker: OpenSSH skips the line too
    }
    if (f.length < 3) continue;
    const [hosts, keyType, b64] = f;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0 || keyTypeOf(key) !== keyType) continue;
    out.push({ file, line: i + 1, marker, hosts, keyType, key });
  }
  return out;
}

// A run connects to every host with the same files: parse each once, again only when it changed.
const parsed = new Map<string, { mtimeMs: number; size: number; entries: KnownHostEntry[] }>();

export async function loadKnownHosts(files: string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const file of files) {
    let entries: KnownHostEntry[];
    try {
      const st = await fs.stat(file);
      const hit = parsed.get(file);
      if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) entries = hit.entries;
      else {
        entries = parseKnownHosts(await fs.readFile(file, 'utf8'), file);
        parsed.set(file, { mtimeMs: st.mtimeMs, size: st.size, entries });
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    all.push(...entries);
  }
  return all;
}

const patterns = new Map<string, RegExp>();

function globMatch(pattern: string, s: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === s;
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
    patterns.set(pattern, re);
  }
  return re.test(s);
}

/** Does the host field of a known_hosts line name `name`? */
export function hostsFieldMatches(hosts: string, name: string): boolean {
  const lname = name.toLowerCase();
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(lname).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const raw of hosts.split(',')) {
    const neg = raw.startsWith('!');
    const pat = (neg ? raw.slice(1) : raw).toLowerCase();
    if (globMatch(pat, lname)) {
      if (neg) return false; // a negated match excludes the host, whatever else matches
      matched = true;
    }
  }
  return matched;
}

/** Checks the key a server offered for `name`. Certificate authorities are not used. */
export function checkHostKey(entries: KnownHostEntry[], name: string, offered: Buffer): HostKeyCheck {
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && hostsFieldMatches(e.hosts, name));
  // A revoked key is refused wherever it is listed, as OpenSSH does.
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(offered));
  if (revoked) return { result: 'revoked', known: [], revoked };
  const plain = forHost.filter((e) => !e.marker);
  if (plain.some((e) => e.key.equals(offered))) return { result: 'ok', known: [] };
  const type = keyTypeOf(offered);
  const sameType = plain.filter((e) => e.keyType === type);
  if (sameType.length) return { result: 'changed', known: sameType };
  if (plain.length) return { result: 'other-type', known: plain };
  return { result: 'unknown', known: [] };
}

const ALGOS_FOR_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
};
const DEFAULT_HOST_KEY_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * Host key algorithms with the types already known for `name` first, as
 * OpenSSH orders them: a server with several host keys then shows the one
 * known_hosts can verify, instead of a type we have never seen.
 */
export function hostKeyAlgorithms(entries: KnownHostEntry[], name: string): string[] | undefined {
  const known = new Set(entries.filter((e) => !e.marker && hostsFieldMatches(e.hosts, name)).map((e) => e.keyType));
  if (!known.size) return undefined;
  const first = [...known].flatMap((t) => ALGOS_FOR_TYPE[t] ?? []);
  return [...first, ...DEFAULT_HOST_KEY_ALGOS.filter((a) => !first.includes(a))];
}

// Appends from one process are serialised per file; other processes are kept
// out with a lock file, so parallel hosts never interleave half-written lines.
const chains = new Map<string, Promise<unknown>>();

async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const prev = chains.get(file) ?? Promise.resolve();
  const run = prev.catch(() => {}).then(async () => {
    const lock = `${file}.lock`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const h = await fs.open(lock, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o600);
        await h.close();
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const st = await fs.stat(lock).catch(() => null);
        // A lock left behind by a killed run is stale after 30 s.
        if (st && Date.now() - st.mtimeMs > 30_000) await fs.rm(lock, { force: true });
        if (Date.now() > deadline) throw new Error(`could not lock ${lock} (remove it if no tsplay is running)`);
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
      }
    }
    try {
      return await fn();
    } finally {
      await fs.rm(lock, { force: true });
    }
  });
  chains.set(file, run);
  try {
    return await run;
  } finally {
    if (chains.get(file) === run) chains.delete(file);
  }
}

/** Records a newly accepted key (accept-new); a no-op when the line is already there. */
export async function recordHostKey(file: string, name: string, key: Buffer): Promise<void> {
  if (file === '/dev/null') return; // UserKnownHostsFile=/dev/null: accepted for this run, remembered nowhere
  await fs.mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await withFileLock(file, async () => {
    let text = '';
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (parseKnownHosts(text, file).some((e) => !e.marker && e.key.equals(key) && hostsFieldMatches(e.hosts, name))) return;
    const line = `${name} ${keyTypeOf(key)} ${key.toString('base64')}\n`;
    // One append of one whole line: readers never see half of it.
    await fs.appendFile(file, text && !text.endsWith('\n') ? `\n${line}` : line, { mode: 0o600 });
  });
}
