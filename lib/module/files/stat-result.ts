/**
 * Ansible's stat result from one shell command on the host: `stat -c`
 * (type and mode bits, device, inode, links, owner and group with their
 * names, size, blocks, times with nanoseconds), readlink for a symlink,
 * access for the connecting (or become) user, `file` for the MIME type and
 * the checksum.
 */
import { shellQuote } from '../../connection/quote.js';

export interface StatOptions {
  follow: boolean;
  checksum?: 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'md5';
  mime: boolean;
  attributes: boolean;
}

/** lsattr's flags, by Ansible's names (module_utils/basic.py FILE_ATTRIBUTES). */
const FILE_ATTRIBUTES: Record<string, string> = {
  A: 'noatime', a: 'append', c: 'compressed', C: 'nocow', d: 'nodump', D: 'dirsync', e: 'extents', E: 'encrypted', h: 'blocksize', i: 'immutable',
  I: 'indexed', j: 'journalled', N: 'inline', s: 'zero', S: 'synchronous', t: 'notail', T: 'blockroot', u: 'undelete', X: 'compressedraw', Z: 'compresseddirty',
};

const FORMAT = '%f|%d|%i|%h|%u|%g|%U|%G|%s|%b|%o|%t|%T|%x|%y|%z';

export function statScript(path: string, o: StatOptions): string {
  const q = shellQuote(path);
  const lines = [
    `p=${q}`,
    // follow: a dangling link is no file at all (os.stat), without it the link itself is (os.lstat).
    o.follow ? 'if [ ! -e "$p" ]; then echo missing; exit 0; fi' : 'if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo missing; exit 0; fi',
    `echo "stat=$(stat ${o.follow ? '-L ' : ''}-c '${FORMAT}' -- "$p")"`,
    'if [ -L "$p" ]; then echo "target=$(readlink -- "$p")"; echo "source=$(readlink -f -- "$p")"; fi',
    '[ -r "$p" ] && echo "readable=1"; [ -w "$p" ] && echo "writeable=1"; [ -x "$p" ] && echo "executable=1"',
  ];
  if (o.attributes) lines.push('if command -v lsattr >/dev/null 2>&1; then a=$(lsattr -vd -- "$p" 2>/dev/null) && echo "lsattr=$a"; fi');
  if (o.mime) lines.push('if command -v file >/dev/null 2>&1; then echo "mime=$(file --mime-type --mime-encoding -b -- "$p" 2>/dev/null)"; fi');
  if (o.checksum) {
    const isReg = o.follow ? '[ -f "$p" ]' : '[ -f "$p" ] && [ ! -L "$p" ]';
    lines.push(`if ${isReg} && [ -r "$p" ]; then echo "checksum=$(${o.checksum}sum < "$p" | cut -d ' ' -f 1)"; fi`);
  }
  return lines.join('\n');
}

/** `2026-12-07 13:44:59.391105400 +0000` as Python's st_atime float: seconds + nanoseconds * 1e-9. */
function epochOf(text: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? ([+-])(\d\d)(\d\d)$/.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, frac = '0', sign, oh, om] = m;
  const offset = (Number(oh) * 60 + Number(om)) * 60 * (sign === '-' ? -1 : 1);
  const seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000 - offset;
  const nanos = Number(frac.padEnd(9, '0').slice(0, 9));
  return seconds + nanos * 1e-9;
}

/** Ansible's is* flags (stat's and find's) of a file type: st_mode & S_IFMT. */
export function typeFlags(type: number): Record<string, boolean> {
  return {
    isdir: type === 0o040000,
    ischr: type === 0o020000,
    isblk: type === 0o060000,
    isreg: type === 0o100000,
    isfifo: type === 0o010000,
    islnk: type === 0o120000,
    issock: type === 0o140000,
  };
}

/** Ansible's permission flags (stat's and find's) of st_mode's bits. */
export function permissionFlags(mode: number): Record<string, boolean> {
  const bit = (b: number) => (mode & b) !== 0;
  return {
    wusr: bit(0o200),
    rusr: bit(0o400),
    xusr: bit(0o100),
    wgrp: bit(0o020),
    rgrp: bit(0o040),
    xgrp: bit(0o010),
    woth: bit(0o002),
    roth: bit(0o004),
    xoth: bit(0o001),
    isuid: bit(0o4000),
    isgid: bit(0o2000),
  };
}

/** Linux's makedev(): how st_rdev encodes a device's major and minor numbers. */
function makedev(major: number, minor: number): number {
  return (major & 0xfff) * 256 + (minor & 0xff) + (minor & ~0xff) * 4096 + Math.floor(major / 4096) * 2 ** 44;
}

export function parseStat(stdout: string, path: string, o: StatOptions): Record<string, unknown> {
  const f: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) f[line.slice(0, i)] = line.slice(i + 1);
  }
  if (!f.stat) return { exists: false };
  const [rawMode, dev, ino, nlink, uid, gid, user, group, size, blocks, blksize, major, minor, atime, mtime, ctime] = f.stat.split('|');
  const mode = parseInt(rawMode, 16);
  const out: Record<string, unknown> = {
    exists: true,
    path,
    mode: (mode & 0o7777).toString(8).padStart(4, '0'),
    ...typeFlags(mode & 0o170000),
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    inode: Number(ino),
    dev: Number(dev),
    nlink: Number(nlink),
    atime: epochOf(atime),
    mtime: epochOf(mtime),
    ctime: epochOf(ctime),
    ...permissionFlags(mode),
    blocks: Number(blocks),
    block_size: Number(blksize),
    device_type: makedev(parseInt(major, 16), parseInt(minor, 16)),
    readable: f.readable === '1',
    writeable: f.writeable === '1',
    executable: f.executable === '1',
  };
  // Names only when the host knows them (Ansible leaves them out when pwd/grp cannot say).
  if (user && user !== 'UNKNOWN') out.pw_name = user;
  if (group && group !== 'UNKNOWN') out.gr_name = group;
  if (out.islnk) {
    out.lnk_source = f.source ?? '';
    out.lnk_target = f.target ?? '';
  }
  if (f.checksum) out.checksum = f.checksum;
  if (o.attributes) {
    const [version, flags] = (f.lsattr ?? '').trim().split(/\s+/);
    const attrFlags = f.lsattr && flags !== undefined ? flags.replace(/-/g, '') : '';
    out.version = f.lsattr && version ? version : null;
    out.attr_flags = attrFlags;
    out.attributes = [...attrFlags].filter((c) => c in FILE_ATTRIBUTES).map((c) => FILE_ATTRIBUTES[c]);
  }
  if (o.mime) {
    const m = /^([^;]+);\s*charset=(.*)$/.exec((f.mime ?? '').trim());
    out.mimetype = m ? m[1].trim() : 'unknown';
    out.charset = m ? m[2].trim() : 'unknown';
  }
  return out;
}
