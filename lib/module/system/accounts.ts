/**
 * The account databases as the user and group modules see them, read in one
 * command (one round trip): the user's passwd entry and password hash, every
 * group with its members, and whether the home directory is there. Read
 * through NSS (`getent`), as Ansible's pwd/grp lookups are.
 */
import { reads, shellQuote, type Read } from '../kit.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export interface Accounts {
  /** The user's entry, or undefined when there is no such user. */
  user?: PasswdEntry;
  /** The user's password field in shadow ('' when shadow cannot be read). */
  hash: string;
  groups: GroupEntry[];
  /** The home directory in question (given or the user's) exists. */
  homeExists: boolean;
  /** Its parent directory exists. */
  homeParentExists: boolean;
}

export function parsePasswd(line: string): PasswdEntry | undefined {
  const f = line.split(':');
  if (f.length < 7) return undefined;
  return { name: f[0], uid: Number(f[2]), gid: Number(f[3]), comment: f[4], home: f[5], shell: f.slice(6).join(':') };
}

export function parseGroup(line: string): GroupEntry | undefined {
  const f = line.split(':');
  if (f.length < 4) return undefined;
  return { name: f[0], gid: Number(f[2]), members: f[3] ? f[3].split(',') : [] };
}

/** A group by name, or by gid when the name is all digits (as Ansible's group_info tries the gid first). */
export function findGroup(groups: GroupEntry[], nameOrGid: string): GroupEntry | undefined {
  if (/^\d+$/.test(nameOrGid)) {
    const byGid = groups.find((g) => g.gid === Number(nameOrGid));
    if (byGid) return byGid;
  }
  return groups.find((g) => g.name === nameOrGid);
}

/** One read: the user `name` (if any), its hash, all groups, and whether `home` (or the user's own home) exists. */
export function readAccounts(name: string, home?: string): Read<Accounts> {
  const n = shellQuote(name);
  const script = [
    `getent passwd ${n} | sed -n '1s/^/P /p'`,
    `getent shadow ${n} 2>/dev/null | cut -d: -f2 | sed -n '1s/^/S /p'`,
    `getent group | sed 's/^/G /'`,
    home !== undefined ? `h=${shellQuote(home)}` : `h=$(getent passwd ${n} | head -n 1 | cut -d: -f6)`,
    `if [ -n "$h" ] && [ -e "$h" ]; then echo 'H 1'; fi`,
    `if [ -n "$h" ] && [ -d "$(dirname -- "$h")" ]; then echo 'D 1'; fi`,
    'true',
  ].join('\n');
  return reads.command(script, (r) => {
    const out: Accounts = { hash: '', groups: [], homeExists: false, homeParentExists: false };
    for (const line of r.stdout.split('\n')) {
      const tag = line.slice(0, 2);
      const rest = line.slice(2);
      if (tag === 'P ') out.user = parsePasswd(rest);
      else if (tag === 'S ') out.hash = rest;
      else if (tag === 'G ') {
        const g = parseGroup(rest);
        if (g) out.groups.push(g);
      } else if (line === 'H 1') out.homeExists = true;
      else if (line === 'D 1') out.homeParentExists = true;
    }
    return out;
  });
}

/** Python's str.splitlines. */
const splitLines = (s: string) => s.split(/\r\n|\r|\n/).filter((l, i, a) => i < a.length - 1 || l !== '');

/** Output of a change command, as Ansible reports it (only when there was some, with its `_lines` as Ansible adds them). */
export function outputKeys(r: { stdout: string; stderr: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.stdout) Object.assign(out, { stdout: r.stdout, stdout_lines: splitLines(r.stdout) });
  if (r.stderr) Object.assign(out, { stderr: r.stderr, stderr_lines: splitLines(r.stderr) });
  return out;
}

/** The system directories Ansible's get_bin_path adds to PATH: a login user's PATH may lack them (useradd, sysctl). */
export const SBIN_PATH = 'PATH="$PATH:/sbin:/usr/sbin:/usr/local/sbin"; export PATH';
