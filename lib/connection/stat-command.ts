/** `stat` through a shell, for file checks that must run as another user (become). */
import { shellQuote } from './quote.js';
import type { FileStat } from './types.js';

/** What `stat -c` prints for parseStatOutput, quoted for the shell. */
export const STAT_FORMAT = `'%F|%a|%u|%g|%s|%Y'`;

/**
 * Ansible's path attributes (add_path_info) in two `stat -c` formats: owner,
 * mode and size of the path itself (lstat), then its type and link count
 * through a final symlink (stat -L). Parsed by the module kit's parsePathInfo.
 */
export const PATH_INFO_OWN_FORMAT = `'%u|%g|%U|%G|%a|%s|%F'`;
export const PATH_INFO_FOLLOWED_FORMAT = `'%F|%h'`;

/**
 * Shell lines printing the path attributes of `pathWord` (a shell word: a
 * quoted path or "$b") as `own=` and `followed=` lines, so a script that
 * changes a path reports it as it leaves it, in the same round trip.
 */
export function pathInfoEcho(pathWord: string): string {
  return `echo "own=$(LC_ALL=C stat -c ${PATH_INFO_OWN_FORMAT} -- ${pathWord} 2>/dev/null)"; echo "followed=$(LC_ALL=C stat -L -c ${PATH_INFO_FOLLOWED_FORMAT} -- ${pathWord} 2>/dev/null)"`;
}

/** The two stat lines pathInfoEcho printed (for parsePathInfo), or undefined when the output has none. */
export function pathInfoOutput(stdout: string): string | undefined {
  const own = /^own=(.+)$/m.exec(stdout)?.[1];
  const followed = /^followed=(.+)$/m.exec(stdout)?.[1];
  return own && followed ? `${own}\n${followed}` : undefined;
}

/** `follow`: the stat of what a final symlink points to (`stat -L`). */
export function statCommand(path: string, follow = false): string {
  return `stat ${follow ? '-L ' : ''}-c ${STAT_FORMAT} -- ${shellQuote(path)}`;
}

export function parseStatOutput(stdout: string): FileStat {
  const [type, mode, uid, gid, size, mtime] = stdout.trim().split('|');
  return {
    isFile: type.startsWith('regular'),
    isDirectory: type === 'directory',
    isSymlink: type === 'symbolic link',
    mode: parseInt(mode, 8),
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    mtimeMs: Number(mtime) * 1000,
  };
}
