/**
 * The one way tsplay writes a file on a host, on every transport, with and
 * without become: a single shell script, run through `exec` with the content
 * on its standard input, so the local connection and SSH behave the same
 * byte for byte and a write costs one round trip.
 *
 *   1. Resolve a symlinked destination to its target; the directory must exist.
 *   2. Copy stdin into a temp file beside the target (mktemp, mode 0600).
 *   3. Check the temp file has exactly the size and sha256 sent: a transfer cut
 *      short (connection killed, stdin closed early) stops here, and the temp
 *      file is removed; the target was never touched.
 *   4. Keep the old file's owner and mode (or the umask's mode for a new
 *      file), then apply `owner`, `group`, `mode` when given.
 *   5. fsync the temp file.
 *   6. `validate`: run the command with %s replaced by the temp file; on
 *      failure the old file stays untouched and its output is the error.
 *   7. `backup`: copy the old file to `<path>.<pid>.<YYYY-MM-DD@HH:MM:SS>~`
 *      (Ansible's name), preserving mode, owner and times; the path is returned.
 *   8. rename(2) the temp file over the target (atomic), fsync the directory.
 */
import { createHash } from 'node:crypto';
import { shellQuote } from './quote.js';
import { CommandError, FileError, type BecomeOptions, type Connection, type ExecOptions } from './types.js';

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
}

export interface WriteResult {
  /** The file written: the target of a symlinked destination. */
  path: string;
  /** The backup's path, when `backup` was asked for and an old file existed. */
  backup?: string;
  /** False when the target did not exist before. */
  existed: boolean;
}

export interface RemoteFileExec {
  become?: BecomeOptions;
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Exit codes of the script, each a FileError code. */
const EXIT = { validate: 65, noDir: 66, io: 68, owner: 69, access: 77 } as const;

function modeString(mode: number | string): string {
  const n = typeof mode === 'number' ? mode : /^[0-7]{3,4}$/.test(mode) ? parseInt(mode, 8) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0o7777) throw new FileError('EOTHER', '', `invalid mode ${JSON.stringify(mode)}: give permission bits such as 0o644 or '0644'`);
  return n.toString(8).padStart(4, '0');
}

/** The script that installs stdin at `path`; exported for tests that run it by hand. */
export function writeScript(path: string, size: number, sha256: string, opts: WriteOptions = {}): string {
  const lines = [
    // A new file gets what the umask gives, as with `cat > file`; the temp file is private until then.
    'new_mode=$(printf %o $((0666 & ~0$(umask))))',
    'umask 077',
    `dest=${shellQuote(path)}`,
    'if [ -L "$dest" ]; then dest=$(readlink -f -- "$dest") || exit 66; fi',
    'dir=$(dirname -- "$dest")',
    `[ -d "$dir" ] || { echo "no such directory: $dir" >&2; exit ${EXIT.noDir}; }`,
    `[ -w "$dir" ] || { echo "directory not writable: $dir" >&2; exit ${EXIT.access}; }`,
    `t=$(mktemp -- "$dir/.$(basename -- "$dest").tsplay-XXXXXXXX") || exit ${EXIT.access}`,
    `trap 'rm -f -- "$t"' EXIT`,
    "trap 'exit 70' HUP INT TERM PIPE",
    `cat > "$t" || exit ${EXIT.io}`,
    `got=$(wc -c < "$t")`,
    `[ "$got" -eq ${size} ] || { echo "the transfer stopped after $got of ${size} bytes" >&2; exit ${EXIT.io}; }`,
    `if command -v sha256sum >/dev/null 2>&1; then [ "$(sha256sum < "$t" | cut -c1-64)" = ${sha256} ] || { echo "the content arrived damaged (sha256 differs)" >&2; exit ${EXIT.io}; }; fi`,
    'existed=0',
    'if [ -e "$dest" ]; then',
    '  existed=1',
    `  chown --reference="$dest" -- "$t" 2>/dev/null || { [ "$(stat -c %u -- "$dest")" = "$(id -u)" ] || { echo "cannot keep the owner of $dest (uid $(stat -c %u -- "$dest")) as $(id -un): use become" >&2; exit ${EXIT.owner}; }; }`,
    '  chmod --reference="$dest" -- "$t"',
    'else',
    '  chmod "$new_mode" -- "$t"',
    'fi',
  ];
  if (opts.owner !== undefined) lines.push(`chown -- ${shellQuote(String(opts.owner))} "$t" || exit ${EXIT.owner}`);
  if (opts.group !== undefined) lines.push(`chgrp -- ${shellQuote(String(opts.group))} "$t" || exit ${EXIT.owner}`);
  if (opts.mode !== undefined) lines.push(`chmod ${modeString(opts.mode)} -- "$t"`);
  lines.push('sync -- "$t" 2>/dev/null || sync');
  if (opts.validate !== undefined) {
    if (!opts.validate.includes('%s')) throw new FileError('EOTHER', path, `validate must contain %s (the new file's path): ${opts.validate}`);
    const cmd = opts.validate.split('%s').join('"$t"');
    lines.push(
      `if ! out=$( { ${cmd} ; } 2>&1 < /dev/null); then printf '%s\\n' "$out" >&2; exit ${EXIT.validate}; fi`,
    );
  }
  if (opts.backup) {
    lines.push(
      'if [ "$existed" = 1 ]; then',
      '  b="$dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~"',
      `  cp -p -- "$dest" "$b" || exit ${EXIT.access}`,
      '  echo "backup=$b"',
      'fi',
    );
  }
  lines.push(
    `mv -f -T -- "$t" "$dest" || exit ${EXIT.access}`,
    'trap - EXIT',
    'sync -- "$dir" 2>/dev/null || true',
    'echo "path=$dest"',
    'echo "existed=$existed"',
  );
  return lines.join('\n');
}

/** Writes `content` to `path` on the host through `conn`, atomically (see the file's comment). */
export async function writeRemoteFile(
  conn: Pick<Connection, 'exec'>,
  path: string,
  content: Buffer | string,
  opts: WriteOptions = {},
  exec: RemoteFileExec = {},
): Promise<WriteResult> {
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const sha = createHash('sha256').update(data).digest('hex');
  const script = writeScript(path, data.length, sha, opts);
  const execOpts: ExecOptions = { ...exec, stdin: data, allowFailure: true };
  const r = await conn.exec(script, execOpts);
  const said = r.stderr.trim();
  switch (r.rc) {
    case 0: {
      const out = Object.fromEntries(
        r.stdout
          .split('\n')
          .map((l) => /^(path|existed|backup)=(.*)$/.exec(l))
          .filter((m): m is RegExpExecArray => !!m)
          .map((m) => [m[1], m[2]]),
      );
      return { path: out.path ?? path, existed: out.existed === '1', ...(out.backup ? { backup: out.backup } : {}) };
    }
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
