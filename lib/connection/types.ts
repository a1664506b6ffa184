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
   * By default a non-zero exit code rejects with CommandError. Set this to
   * get the result back whatever the exit code.
   */
  allowFailure?: boolean;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
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
  /** Writes a file as it is (not atomic: see lib/files/atomic-write.ts). */
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
