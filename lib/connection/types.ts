/**
 * The one interface every transport implements (local, ssh). Modules and the
 * engine only ever see this, so a module written against the local
 * connection works unchanged over SSH.
 */

export interface BecomeOptions {
  /** Defaults to root. */
  user?: string;
  /** sudo (default) or su. */
  method?: 'sudo' | 'su';
  password?: string;
}

export interface ExecOptions {
  /** Written to the command's standard input, then closed. */
  stdin?: string | Buffer;
  /** Extra environment variables for this command. */
  env?: Record<string, string>;
  /** Working directory. */
  cwd?: string;
  /** Run as another user. */
  become?: BecomeOptions;
  /** Kill the command and fail after this many milliseconds. */
  timeoutMs?: number;
  /**
   * Keep at most this many bytes of stdout and of stderr (output-cap.ts); the
   * rest is read and discarded. For commands whose output comes from the
   * host's programs; a file read must not set it.
   */
  maxOutput?: number;
  /**
   * By default a non-zero exit code rejects with CommandError. Set this to
   * get the result back whatever the exit code.
   */
  allowFailure?: boolean;
  /** Stops the command (as a timeout does) when aborted: Ctrl-C, or the task's time is up. */
  signal?: AbortSignal;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** Bytes of each stream discarded past ExecOptions.maxOutput; absent when nothing was. */
  truncated?: { stdout: number; stderr: number };
}

/** A command that ran and exited non-zero: carries rc, stdout and stderr. */
export class CommandError extends Error implements ExecResult {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly command: string;
  constructor(command: string, result: ExecResult) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ');
    super(`command exited with rc=${result.rc}: ${command}${detail ? ` (${detail})` : ''}`);
    this.name = 'CommandError';
    this.command = command;
    this.rc = result.rc;
    this.stdout = result.stdout;
    this.stderr = result.stderr;
  }
}

/**
 * The host could not be reached, or dropped mid-run. The engine marks the
 * host UNREACHABLE and takes it out of the rest of the play.
 */
export class UnreachableError extends Error {
  readonly host: string;
  readonly reason: 'refused' | 'timeout' | 'auth' | 'host-key' | 'dropped' | 'dns' | 'other';
  constructor(host: string, reason: UnreachableError['reason'], message: string) {
    super(message);
    this.name = 'UnreachableError';
    this.host = host;
    this.reason = reason;
  }
}

/**
 * A file operation that failed for a reason a module may expect: the file or
 * its directory is missing (ENOENT), access is denied (EACCES), the transfer
 * did not arrive whole (EIO), or `validate` rejected the new content
 * (EVALIDATE). The same codes on every transport.
 */
export class FileError extends Error {
  readonly code: 'ENOENT' | 'EACCES' | 'EIO' | 'EVALIDATE' | 'EISDIR' | 'EOTHER';
  readonly path: string;
  /** What the host said (stderr of the failing step, or the validate command's output). */
  readonly detail: string;
  constructor(code: FileError['code'], path: string, message: string, detail = '') {
    super(message);
    this.name = 'FileError';
    this.code = code;
    this.path = path;
    this.detail = detail;
  }
}

/** The error a command rejects with when its AbortSignal fires: the signal's reason when that is an Error. */
export function abortError(command: string, signal?: AbortSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason;
  return Object.assign(new Error(`stopped: ${command.split('\n')[0].slice(0, 80)}`), { name: 'AbortError' });
}

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
  /** Permission bits only, e.g. 0o644. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
}

export interface FileOptions {
  become?: BecomeOptions;
}

export interface Connection {
  /** The inventory name of the host this connection reaches. */
  readonly host: string;
  /** Opens the transport; idempotent. Rejects with UnreachableError. */
  connect(): Promise<void>;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Writes a file atomically, keeping owner and mode (see remote-file.ts: the same script on every transport). */
  put(path: string, content: Buffer | string, opts?: FileOptions & { mode?: number }): Promise<void>;
  get(path: string, opts?: FileOptions): Promise<Buffer>;
  /** null when the path does not exist. Does not follow a final symlink. */
  stat(path: string, opts?: FileOptions): Promise<FileStat | null>;
  chmod(path: string, mode: number, opts?: FileOptions): Promise<void>;
  chown(path: string, uid: number, gid: number, opts?: FileOptions): Promise<void>;
  rename(from: string, to: string, opts?: FileOptions): Promise<void>;
  /** Hex sha256 of a remote file, or null when it does not exist. */
  sha256(path: string, opts?: FileOptions): Promise<string | null>;
  /** Closes cleanly; idempotent. */
  close(): Promise<void>;
}
