/**
 * A zip archive's members as Ansible's unarchive (ZipArchive.is_unarchived)
 * weighs them against a directory: read from `zipinfo -T -s` (type,
 * permissions, size, local time) and `unzip -v` (CRC-32), then compared with
 * what `stat` and a CRC of each file on the host say. A member that is
 * missing, of another type, another size, time, CRC, mode or owner means the
 * archive is not unarchived.
 */
import { shellQuote } from '../../connection/quote.js';

export interface ZipMember {
  /** 'd' directory, 'L' symlink, 'f' file. */
  type: 'd' | 'L' | 'f';
  /** The mode unzip gives it (Ansible's _permstr_to_octal). */
  mode: number;
  size: number;
  /** Local time, yyyymmdd.hhmmss, as zipinfo -T prints it. */
  time: string;
  path: string;
}

/** The members zipinfo -T -s lists (the lines that are not members are skipped, as Ansible does). */
export function parseZipinfo(out: string, umask: number): ZipMember[] {
  const members: ZipMember[] = [];
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\d{8}\.\d{6})\s(.*)$/.exec(line);
    if (!m) continue;
    const [, perms, , , size, , , time, path] = m;
    if (perms.length !== 7 && perms.length !== 10) continue;
    if (!'dl-?'.includes(perms[0]) || ![...perms.slice(1)].every((c) => 'rwxstah-'.includes(c))) continue;
    let permstr = perms.slice(1);
    let fileUmask = 0;
    // A FAT-made member (rwa--- style): Ansible maps it to full permissions less the umask.
    if (permstr.length === 6) {
      permstr = path.endsWith('/') ? 'rwxrwxrwx' : permstr === 'rwx---' ? 'rwxrwxrwx' : 'rw-rw-rw-';
      fileUmask = umask;
    }
    const type = path.endsWith('/') ? 'd' : perms[0] === 'l' ? 'L' : 'f';
    members.push({ type, mode: permOctal(permstr) & ~fileUmask, size: Number(size), time, path });
  }
  return members;
}

function permOctal(permstr: string): number {
  let mode = 0;
  const rev = [...permstr].reverse();
  for (let i = 0; i < 9; i++) if ('rwxst'.includes(rev[i] ?? '-')) mode += 2 ** i;
  return mode;
}

/** Member name to CRC-32 from `unzip -v` (its table's rows: the header is 3 lines, the footer 2). */
export function parseUnzipV(out: string): Map<string, number> {
  const crc = new Map<string, number>();
  const lines = out.split('\n').filter((l) => l !== '');
  for (const line of lines.slice(3, -2)) {
    const f = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+([0-9a-f]{8})\s\s(.*)$/.exec(line);
    if (f) crc.set(f[8], parseInt(f[7], 16));
  }
  return crc;
}

/**
 * A script that reads member paths (one a line) on stdin and prints, for
 * each, `MISSING`, or `type|size|mtime|mode|uid|gid` and the CRC-32 of a
 * regular file (the four trailer bytes gzip writes, which are the CRC-32 of
 * its input, as unsigned decimal bytes).
 */
export function statScript(dest: string): string {
  return [
    `d=${shellQuote(dest)}`,
    'while IFS= read -r p; do f="$d/$p"',
    'if [ -e "$f" ] || [ -L "$f" ]; then stat -c "%F|%s|%y|%a|%u|%g" -- "$f"',
    '  if [ -f "$f" ] && [ ! -L "$f" ]; then gzip -1 -c < "$f" | tail -c 8 | od -An -N4 -tu1 | tr -s " \\n" " "; fi; echo',
    'else echo MISSING; echo; fi',
    'done',
  ].join('\n');
}

export interface HostEntry {
  missing: boolean;
  type?: string;
  size?: number;
  /** yyyymmdd.hhmmss and the fraction of the second, from stat's %y (local time). */
  time?: string;
  fraction?: number;
  mode?: number;
  uid?: number;
  gid?: number;
  crc?: number;
}

/** statScript's output: two lines per member. */
export function parseStats(out: string, count: number): HostEntry[] {
  const lines = out.split('\n');
  const entries: HostEntry[] = [];
  for (let i = 0; i < count; i++) {
    const head = lines[2 * i] ?? 'MISSING';
    if (head === 'MISSING') {
      entries.push({ missing: true });
      continue;
    }
    const [type, size, y, mode, uid, gid] = head.split('|');
    const t = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?/.exec(y ?? '');
    const bytes = (lines[2 * i + 1] ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
    entries.push({
      missing: false,
      type,
      size: Number(size),
      time: t ? `${t[1]}${t[2]}${t[3]}.${t[4]}${t[5]}${t[6]}` : undefined,
      fraction: t?.[7] ? Number(`0.${t[7]}`) : 0,
      mode: parseInt(mode, 8),
      uid: Number(uid),
      gid: Number(gid),
      crc: bytes.length === 4 ? (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0 : undefined,
    });
  }
  return entries;
}

export interface Verdict {
  /** Why the member must be unpacked, or undefined when it is there as the archive has it. */
  reason?: string;
  /** keep_newer: the file on the host is newer, so it is left out of the unpacking. */
  newer?: boolean;
}

/** One member against the host, in the order and terms of Ansible's is_unarchived. */
export function weigh(m: ZipMember, h: HostEntry, crc: number | undefined, who: { uid: number; gid: number }, keepNewer: boolean): Verdict {
  if (h.missing) return { reason: `Path ${m.path} is missing` };
  const isDir = h.type === 'directory';
  const isLink = h.type === 'symbolic link';
  const isReg = h.type === 'regular file' || h.type === 'regular empty file';
  if (m.type === 'd' && !isDir) return { reason: `File ${m.path} already exists, but not as a directory` };
  if (m.type === 'f' && !isReg) return { reason: `Directory ${m.path} already exists, but not as a regular file` };
  if (m.type === 'L' && !isLink) return { reason: `Directory ${m.path} already exists, but not as a symlink` };
  const reasons: string[] = [];
  if (isReg) {
    const cmp = (h.time ?? '') < m.time ? -1 : (h.time ?? '') > m.time || (h.fraction ?? 0) > 0 ? 1 : 0;
    if (keepNewer) {
      if (cmp < 0) reasons.push(`File ${m.path} is older, replacing file`);
      else if (cmp > 0) return { newer: true };
    } else if (cmp !== 0) reasons.push(`File ${m.path} differs in mtime`);
    if (m.size !== h.size) reasons.push(`File ${m.path} differs in size (${m.size} vs ${h.size})`);
    if (crc !== undefined && h.crc !== undefined && crc !== h.crc) reasons.push(`File ${m.path} differs in CRC32 checksum`);
  }
  if (m.type !== 'L' && m.mode !== h.mode) reasons.push(`Path ${m.path} differs in permissions (${m.mode.toString(8)} vs ${(h.mode ?? 0).toString(8)})`);
  if (h.uid !== who.uid) reasons.push(`Path ${m.path} is owned by uid ${h.uid}, not by uid ${who.uid} as expected`);
  if (h.gid !== who.gid) reasons.push(`Path ${m.path} is owned by gid ${h.gid}, not by gid ${who.gid} as expected`);
  return reasons.length ? { reason: reasons.join('; ') } : {};
}
