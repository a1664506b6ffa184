/**
 * Running the recovery playbooks against the lab as an operator does: the
 * tsplay CLI from this checkout, an inventory copy the playbooks may edit,
 * and the checks an operator makes afterwards (members, files, data).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, labExec, run, type ExecResult } from '../helpers/lab.js';

export const RESTORE = join(REPO, 'playbooks/restore-quorum.yml');
export const ADD_MEMBER = join(REPO, 'playbooks/add-etcd-member.yml');
export const DECOMMISSION = join(REPO, 'playbooks/decommission-master.yml');

/** A writable copy of the lab's inventory for n masters (the restore edits its [etcd] group). */
export function inventoryCopy(masters: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-restore-'));
  const gen = join(REPO, 'inventories/lab/.lab');
  const src = masters === 3 ? join(REPO, 'inventories/lab/hosts') : join(gen, `hosts-${masters}`);
  const text = readFileSync(src, 'utf8').replaceAll('{{ inventory_dir }}/.lab', gen);
  const file = join(dir, 'hosts');
  writeFileSync(file, text);
  return file;
}

/** Files in the inventory's folder (the inventory and its backups). */
export function inventoryFolder(file: string): string[] {
  return readdirSync(join(file, '..')).sort();
}

/** An INI group's host lines as written (trimmed), comments and blank lines left out. */
export function iniGroupLines(text: string, group: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inside = line === `[${group}]`;
      continue;
    }
    if (inside && line && !line.startsWith('#') && !line.startsWith(';')) out.push(line);
  }
  return out;
}

/** Hosts of an INI group, in file order. */
export function iniGroup(text: string, group: string): string[] {
  return iniGroupLines(text, group).map((line) => line.split(/\s+/)[0]!);
}

export interface Run extends ExecResult {
  events: Record<string, unknown>[];
  /** `task|host` of every changed result, in order. */
  changed: string[];
  /** `task|host` of commands check mode skipped because they would have run. */
  wouldRun: string[];
  recap: Record<string, Record<string, number>>;
}

/** Parses --json output: events, the changed (task, host) pairs, the recap. */
export function parseEvents(stdout: string): Omit<Run, keyof ExecResult> {
  const events: Record<string, unknown>[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      events.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      /* not an event */
    }
  }
  const changed: string[] = [];
  const wouldRun: string[] = [];
  let task = '';
  let recap: Record<string, Record<string, number>> = {};
  for (const e of events) {
    if (e.type === 'task_start') task = String(e.name);
    if (e.type === 'host_result' && !e.loopSummary) {
      const d = e.delegatedTo ? ` -> ${String(e.delegatedTo)}` : '';
      const item = e.item !== undefined ? ` (${String(e.item)})` : '';
      const key = `${task}|${String(e.host)}${d}${item}`;
      if (e.status === 'changed') changed.push(key);
      if (e.status === 'skipped' && /would have run if not in check mode/.test(String((e.result as { msg?: string })?.msg))) wouldRun.push(key);
    }
    if (e.type === 'recap') recap = (e.stats ?? {}) as Record<string, Record<string, number>>;
  }
  return { events, changed, wouldRun, recap };
}

/** `tsplay run PLAYBOOK -i INVENTORY --json ...args` from this checkout's sources. */
export function tsplayArgs(playbook: string, inventory: string, args: string[]): string[] {
  return ['--import', '@tapjs/typescript/import', join(REPO, 'bin/tsplay.ts'), 'run', playbook, '-i', inventory, '--json', ...args];
}

export async function tsplay(playbook: string, inventory: string, ...args: string[]): Promise<Run> {
  const r = await run('node', tsplayArgs(playbook, inventory, args), { timeoutMs: 600_000 });
  return { ...r, ...parseEvents(r.stdout) };
}

/**
 * Runs a playbook and sends it SIGINT (Ctrl-C) as soon as `when` matches an
 * event, as an operator interrupting it at that step would.
 */
export function tsplayInterrupted(playbook: string, inventory: string, when: (e: Record<string, unknown>) => boolean): Promise<Run & { interrupted: boolean }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('node', tsplayArgs(playbook, inventory, []), { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let buffered = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (interrupted || !line.startsWith('{')) continue;
        try {
          if (when(JSON.parse(line) as Record<string, unknown>)) {
            interrupted = true;
            child.kill('SIGINT');
          }
        } catch {
          /* not an event */
        }
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ rc: code ?? 1, stdout, stderr, interrupted, ...parseEvents(stdout) }));
  });
}

/**
 * sha256 of every file on a host that a playbook could touch: the whole root
 * file system but what changes by itself while the host runs (kernel and
 * runtime trees, logs, systemd's own state, and etcd's write-ahead log, which
 * records every election attempt while quorum is lost).
 */
export async function hashHost(host: string): Promise<Map<string, string>> {
  const r = await labExec(
    host,
    "find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp -o -path /var/log -o -path /var/tmp -o -path /var/cache -o -path /var/lib/systemd -o -path /var/lib/etcd/member/wal \\) -prune -o -type f -print0 | sort -z | xargs -0 sha256sum",
  );
  if (r.rc !== 0) throw new Error(`hashing ${host} failed: ${r.stderr}`);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^([0-9a-f]{64}) {2}(.*)$/.exec(line);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** Paths whose hash differs, appeared or disappeared between two hashings. */
export function hashDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [p, h] of a) if (b.get(p) !== h) out.push(p);
  for (const p of b.keys()) if (!a.has(p)) out.push(p);
  return out.sort();
}

/** etcd members as the cluster lists them, through one host's etcdctl. */
export async function memberNames(host: string, endpoints: string): Promise<string[]> {
  const r = await labExec(host, `etcdctl3 --endpoints=${endpoints} member list -w json`);
  const list = JSON.parse(r.stdout) as { members: { name: string }[] };
  return list.members.map((m) => m.name).sort();
}

/** `KEY=value` of an env file on a host. */
export async function envValue(host: string, path: string, key: string): Promise<string | null> {
  const r = await labExec(host, `grep -E '^${key}=' ${path} || true`);
  const line = r.stdout.trim().split('\n')[0] ?? '';
  return line ? line.slice(key.length + 1).replace(/^"|"$/g, '') : null;
}
