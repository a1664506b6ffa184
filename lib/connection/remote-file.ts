/**
 * The one way tsplay writes a file on a host, on every transport, with and
 * without become: a single shell script, run through `exec` with the content
 * on its standard input, so the local connection and SSH behave the same
 * byte for byte and a write costs one round trip.
 *
 *   1. Enter the destination's directory once with `cd -P` (a symlinked
 *      parent is resolved there, by the host, once) and name everything after
 *      relative to it: a link swapped into the path later cannot redirect the
 *      write. A final symlink is replaced by the file (Ansible's `follow: no`)
 *      unless `follow` asks to write its target, which is then resolved the
 *      same way.
 *   2. Copy stdin into a temp file beside the target whose name carries 128
 *      random bits, created with O_EXCL (dd conv=excl): no object already
 *      there, of any type (a planted symlink, FIFO or device), is ever
 *      opened. Should the name be taken all the same, mktemp makes another.
 *      The file is born with its final mode when that has no execute or
 *      special bits (the umask gives it), else private until chmod.
 *   3. Check dd copied exactly the bytes sent: a transfer cut short
 *      (connection killed, stdin closed early) stops here, and the temp
 *      file is removed; the target was never touched. The bytes themselves
 *      are the transport's to keep intact (SSH's MAC; a local pipe).
 *   4. Keep the old file's owner and mode (or the umask's mode for a new
 *      file, or for a symlink being replaced), then apply `owner`, `group`,
 *      `mode` when given.
 *   5. fsync the temp file (dd conv=fsync, as it is written).
 *   6. `validate`: run the command with %s replaced by the temp file; on
 *      failure the old file stays untouched and its output is the error.
 *   7. `backup`: hard-link the old regular file as
 *      `<path>.<pid>.<YYYY-MM-DD@HH:MM:SS>~` (Ansible's name): mode, owner
 *      and times are the old file's own, and ln never writes through an
 *      object planted at that name. The path is returned.
 *   8. rename(2) the temp file over the target (atomic: a reader, or the
 *      host after a crash, sees the old file or the new one, never a part).
 */
import { randomBytes } from 'node:crypto';
import { shellQuote } from './quote.js';
import { STAT_FORMAT, parseStatOutput, pathInfoEcho, pathInfoOutput } from './stat-command.js';
import { CommandError, FileError, type BecomeOptions, type Connection, type ExecOptions, type FileStat } from './types.js';

export interface WriteOptions {
  /** Permission bits, e.g. 0o644 (or the string '0644'). Default: the old file's mode, or the umask's for a new file. */
  mode?: number | string;
  /** A user name or uid; default: the old file's owner, or the writing user. */
  owner?: string | number;
  /** A group name or gid; default: the old file's group. */
  group?: string | number;
  /** Copy the old file aside first; its path is returned. */
  backup?: boolean;
  /** A command run on the new content before it replaces the old, with %s for its path, e.g. `visudo -cf %s`. */
  validate?: string;
  /**
   * Leave a file that already holds these bytes alone: nothing is validated,
   * backed up or replaced, `same` is true, and only a `mode` that differs is
   * set (`attrsChanged`).
   * A directory at the path is an `EISDIR` error. Not with `owner`/`group`.
   */
  unlessSame?: boolean;
  /** Report the new file's stat in the result (`stat`): one `stat` more on the host. */
  statAfter?: boolean;
  /**
   * Report the file's path attributes as Ansible's modules give them
   * (`pathInfo`: the two lines parsePathInfo reads), also when `unlessSame`
   * left it alone: the caller needs no read of its own after the write.
   */
  pathInfoAfter?: boolean;
  /**
   * The mode the file has now, as the caller has just read it. Without `mode`,
   * a replacement is created with it rather than copying it from the old
   * file with `chmod --reference` (one program less).
   */
  knownMode?: number;
  /**
   * A symlink at the path: write the file it points to (Ansible's
   * `follow: yes`). Default false: the link itself is replaced by the file,
   * and its target is left alone. A dangling link is replaced either way.
   */
  follow?: boolean;
}

export interface WriteResult {
  /** The file written: the path given, or the target of a symlink followed. */
  path: string;
  /** The backup's path, when `backup` was asked for and an old file existed. */
  backup?: string;
  /** False when the target did not exist before. */
  existed: boolean;
  /** With `unlessSame`: the file already held the content, and it was not written. */
  same?: boolean;
  /** With `unlessSame`: the content was the same but the mode was not, and only the mode changed. */
  attrsChanged?: boolean;
  /** With `statAfter`: the new file's stat, when the file was written. */
  stat?: FileStat;
  /** With `pathInfoAfter`: `stat -c` of the file left at `path`, in the path attributes' two formats. */
  pathInfo?: string;
}

export interface RemoteFileExec {
  become?: BecomeOptions;
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Exit codes of the script, each a FileError code. */
const EXIT = { isDir: 21, validate: 65, noDir: 66, io: 68, owner: 69, access: 77 } as const;

function modeString(mode: number | string): string {
  const n = typeof mode === 'number' ? mode : /^[0-7]{3,4}$/.test(mode) ? parseInt(mode, 8) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0o7777) throw new FileError('EOTHER', '', `invalid mode ${JSON.stringify(mode)}: give permission bits such as 0o644 or '0644'`);
  return n.toString(8).padStart(4, '0');
}

/**
 * The umask that makes the shell create the temp file with exactly `mode`
 * (the shell creates files 0666 & ~umask), or undefined when chmod must set
 * it: execute, setuid, setgid and sticky bits, and a mode without the owner's
 * write bit (dd could not then write the file it was given).
 */
function umaskFor(mode: number): string | undefined {
  return (mode & ~0o666) === 0 && (mode & 0o200) !== 0 ? modeString(0o777 & ~mode) : undefined;
}

/**
 * The script that installs stdin at `path`; exported for tests that run it by
 * hand. It runs on every write of every host, so it starts as few programs as
 * it can: two (dd, mv) for a new file, or a replacement owned by the writing
 * user, whose mode has no execute bits. Path arithmetic and the owner checks
 * are the shell's own, the temp file is made by the shell with its final
 * mode, and dd's own count proves the transfer whole.
 */
export function writeScript(path: string, size: number, opts: WriteOptions = {}, random = randomBytes(16).toString('hex')): string {
  const ownerAndGroup = opts.owner !== undefined && opts.group !== undefined;
  const mode = opts.mode !== undefined ? parseInt(modeString(opts.mode), 8) : undefined;
  // The mode the new file must end with when it replaces one, if known: given, or as read.
  const replacementMode = mode ?? opts.knownMode;
  const umask = replacementMode !== undefined ? umaskFor(replacementMode) : undefined;
  // The file's attributes as the caller reports them, printed by the script that left it.
  const info = opts.pathInfoAfter ? `${pathInfoEcho('"$b"')}; ` : '';
  const lines = [
    // p: the path as given (or the followed link's target), for what the script reports;
    // b: the file's name inside the directory the script has entered, for what it does.
    `p=${shellQuote(path)}`,
    'case $p in */*) dir=${p%/*}; dir=${dir:-/}; b=${p##*/} ;; *) dir=.; b=$p ;; esac',
    `case $b in ''|.|..) echo "$p is a directory" >&2; exit ${EXIT.isDir} ;; esac`,
    `[ -d "$dir" ] || { echo "no such directory: $dir" >&2; exit ${EXIT.noDir}; }`,
    `cd -P -- "$dir" 2>/dev/null || { echo "directory not accessible: $dir" >&2; exit ${EXIT.access}; }`,
  ];
  if (opts.follow) {
    lines.push(
      // Only an existing target is followed: a dangling link is replaced, as Ansible does.
      `if [ -L "$b" ] && [ -e "$b" ]; then p=$(readlink -f -- "$b") || exit ${EXIT.noDir}; dir=\${p%/*}; b=\${p##*/}; cd -P -- "\${dir:-/}" || exit ${EXIT.access}; echo "path=$p"; fi`,
    );
  }
  lines.push(
    `[ -w . ] || { echo "directory not writable: $dir" >&2; exit ${EXIT.access}; }`,
    // Anything but a regular file at the name (a symlink not followed, a FIFO, a device) is
    // replaced like a path where nothing was: the new file gets the umask's mode and the
    // writing user, never the attributes of what a link points to, and nothing opens it.
    'other=0; existed=0; if [ -f "$b" ] && [ ! -L "$b" ]; then existed=1; elif [ -L "$b" ] || [ -e "$b" ]; then other=1; fi',
    // A new file without a mode gets what the umask gives, as with `cat > file`.
    // Otherwise the temp file is born with its final mode when a umask can give
    // it, or stays private until chmod sets it.
    mode !== undefined
      ? `umask ${umask ?? '077'}`
      : `if [ "$existed" = 1 ]; then umask ${umask ?? '077'}; fi`,
    // A name nobody can guess (and short enough for any file name beside it).
    `t=".$b.tsplay-${random}"; if [ \${#b} -gt 200 ]; then t=".tsplay-${random}"; fi`,
    // Only a regular file of ours is removed on the way out: never something planted at the name.
    `trap 'if [ -f "$t" ] && [ ! -L "$t" ] && [ -O "$t" ]; then rm -f -- "$t"; fi' EXIT`,
    "trap 'exit 70' HUP INT TERM PIPE",
    // conv=excl: O_CREAT|O_EXCL, so dd refuses any object at the name (and reads no input
    // then); conv=fsync: the content is on disk before the rename can be. dd's report
    // ("N bytes copied", "1 byte copied": every dd words it so) says how much arrived.
    'copied=$(LC_ALL=C dd of="$t" conv=excl,fsync 2>&1) || case $copied in',
    '  *"File exists"*)',
    // Taken after all: mktemp makes another (0600 whatever the umask), given the mode the shell would give.
    `    t=$(mktemp -- ".tsplay-XXXXXXXXXXXXXXXX") && chmod "$(printf '%o' $((0666 & ~0$(umask))))" -- "$t" || exit ${EXIT.access}`,
    `    copied=$(LC_ALL=C dd of="$t" conv=notrunc,fsync 2>&1) || { printf '%s\\n' "$copied" >&2; exit ${EXIT.io}; } ;;`,
    `  *) printf '%s\\n' "$copied" >&2; exit ${EXIT.io} ;;`,
    'esac',
    `case $copied in "${size} byte"*|*"\n${size} byte"*) ;; *)`,
    `  echo "the transfer stopped after $(wc -c < "$t") of ${size} bytes" >&2; exit ${EXIT.io} ;;`,
    'esac',
    `if [ -d "$b" ]; then echo "$p is a directory" >&2; exit ${EXIT.isDir}; fi`,
  );
  if (opts.unlessSame) {
    if (opts.owner !== undefined || opts.group !== undefined) throw new FileError('EOTHER', path, 'unlessSame does not compare owner or group');
    // The same bytes with another mode: only the mode changes, as plan() would have it.
    const fixMode =
      mode !== undefined
        ? `if [ "$(stat -c %a -- "$b")" != ${mode.toString(8)} ]; then chmod ${modeString(mode)} -- "$b" || exit ${EXIT.access}; echo attrs=1; fi; `
        : '';
    // Only a regular file can be "the same" (cmp never opens a FIFO or a device): a symlink not followed is replaced.
    lines.push(`if [ "$existed" = 1 ] && cmp -s -- "$t" "$b"; then ${fixMode}echo existed=1; echo same=1; ${info}exit 0; fi`);
  }
  const keep: string[] = [];
  if (!ownerAndGroup) {
    // The test builtins answer the common case, a file of the writing user and group, without chown.
    keep.push(
      `  if [ -O "$b" ] && [ -G "$b" ] && [ -G "$t" ]; then :; else chown --reference="$b" -- "$t" 2>/dev/null || { [ "$(stat -c %u -- "$b")" = "$(id -u)" ] || { echo "cannot keep the owner of $p (uid $(stat -c %u -- "$b")) as $(id -un): use become" >&2; exit ${EXIT.owner}; }; }; fi`,
    );
  }
  if (mode === undefined && umask === undefined) keep.push('  chmod --reference="$b" -- "$t"');
  if (keep.length) lines.push('if [ "$existed" = 1 ]; then', ...keep, 'fi');
  if (ownerAndGroup) lines.push(`chown -- ${shellQuote(`${opts.owner}:${opts.group}`)} "$t" || exit ${EXIT.owner}`);
  else if (opts.owner !== undefined) lines.push(`chown -- ${shellQuote(String(opts.owner))} "$t" || exit ${EXIT.owner}`);
  else if (opts.group !== undefined) lines.push(`chgrp -- ${shellQuote(String(opts.group))} "$t" || exit ${EXIT.owner}`);
  // chown clears setuid/setgid bits, so a mode the umask could not give is set after it.
  if (mode !== undefined && umask === undefined) lines.push(`chmod ${modeString(mode)} -- "$t"`);
  if (opts.validate !== undefined) {
    if (!opts.validate.includes('%s')) throw new FileError('EOTHER', path, `validate must contain %s (the new file's path): ${opts.validate}`);
    // The temp file's full path, so a command that changes directory still finds it.
    const cmd = opts.validate.split('%s').join('"${PWD%/}/$t"');
    lines.push(
      `if ! out=$( { ${cmd} ; } 2>&1 < /dev/null); then printf '%s\\n' "$out" >&2; exit ${EXIT.validate}; fi`,
    );
  }
  if (opts.backup) {
    lines.push(
      // Only a regular file is backed up: a symlink replaced leaves its target as it was, and
      // a FIFO or a device holds nothing to keep (and a planted one is nobody's to pin).
      'if [ "$existed" = 1 ]; then',
      '  k=".$$.$(date +%Y-%m-%d@%H:%M:%S)~"',
      // ln makes the name with O_EXCL semantics (link(2)): it refuses anything already there.
      `  ln -P -- "$b" "$b$k" || { echo "cannot keep a backup as $p$k" >&2; exit ${EXIT.access}; }`,
      '  echo "backup=$p$k"',
      'fi',
    );
  }
  lines.push(
    // rename(2) replaces the name itself: a symlink there is replaced, never written through.
    `mv -f -T -- "$t" "$b" || exit ${EXIT.access}`,
    'trap - EXIT',
    'echo "existed=$existed"',
  );
  // The new file's stat, so the caller knows the file as a read would show it without reading it again.
  if (opts.statAfter) lines.push(`echo "stat=$(LC_ALL=C stat -c ${STAT_FORMAT} -- "$b" 2>/dev/null)"`);
  if (info) lines.push(info.trimEnd());
  return lines.join('\n');
}

const pathInfoField = (stdout: string) => {
  const info = pathInfoOutput(stdout);
  return info !== undefined ? { pathInfo: info } : {};
};

/** Writes `content` to `path` on the host through `conn`, atomically (see the file's comment). */
export async function writeRemoteFile(
  conn: Pick<Connection, 'exec'>,
  path: string,
  content: Buffer | string,
  opts: WriteOptions = {},
  exec: RemoteFileExec = {},
): Promise<WriteResult> {
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const script = writeScript(path, data.length, opts);
  const execOpts: ExecOptions = { ...exec, stdin: data, allowFailure: true };
  const r = await conn.exec(script, execOpts);
  const said = r.stderr.trim();
  switch (r.rc) {
    case 0: {
      const out = Object.fromEntries(
        r.stdout
          .split('\n')
          .map((l) => /^(path|existed|backup|same|attrs|stat)=(.*)$/.exec(l))
          .filter((m): m is RegExpExecArray => !!m)
          .map((m) => [m[1], m[2]]),
      );
      return { path: out.path ?? path, existed: out.existed === '1', ...(out.backup ? { backup: out.backup } : {}), ...(out.same === '1' ? { same: true } : {}), ...(out.attrs === '1' ? { attrsChanged: true } : {}), ...(out.stat ? { stat: parseStatOutput(out.stat) } : {}), ...(opts.pathInfoAfter ? pathInfoField(r.stdout) : {}) };
    }
    case EXIT.isDir:
      throw new FileError('EISDIR', path, `${path} is a directory`, said);
    case EXIT.validate:
      throw new FileError('EVALIDATE', path, `validation of the new ${path} failed (${opts.validate}); the old file is untouched${said ? `: ${said}` : ''}`, said);
    case EXIT.noDir:
      throw new FileError('ENOENT', path, `cannot write ${path}: ${said || 'its directory does not exist'}`, said);
    case EXIT.io:
      throw new FileError('EIO', path, `cannot write ${path}: ${said || 'the transfer did not complete'}; the old file is untouched`, said);
    case EXIT.owner:
    case EXIT.access:
      throw new FileError('EACCES', path, `cannot write ${path}: ${said || 'permission denied'}`, said);
    default:
      if (/Permission denied|Operation not permitted/.test(said)) throw new FileError('EACCES', path, `cannot write ${path}: ${said}`, said);
      throw new CommandError(`write ${path}`, r);
  }
}

/** Removes a file or a symlink (never a directory); true when something was removed. */
export async function removeRemoteFile(conn: Pick<Connection, 'exec'>, path: string, exec: RemoteFileExec = {}): Promise<boolean> {
  const script = [
    `p=${shellQuote(path)}`,
    'if [ -d "$p" ] && [ ! -L "$p" ]; then echo "$p is a directory" >&2; exit 21; fi',
    'if [ -e "$p" ] || [ -L "$p" ]; then rm -f -- "$p" || exit 77; echo removed; fi',
  ].join('\n');
  const r = await conn.exec(script, { ...exec, allowFailure: true });
  if (r.rc === 0) return r.stdout.includes('removed');
  const said = r.stderr.trim();
  if (r.rc === 77 || /Permission denied|Operation not permitted/.test(said)) throw new FileError('EACCES', path, `cannot remove ${path}: ${said || 'permission denied'}`, said);
  throw new FileError('EOTHER', path, `cannot remove ${path}: ${said}`, said);
}
