/**
 * The host handle a module works with: one object per task and host, made
 * by the engine, already carrying the task's become, environment, timeout
 * and abort signal. Modules never pass those along themselves.
 *
 * plan() gets a read-only view (HostView): run, read, stat, get. A write
 * from plan() is an engine error, so check mode cannot change a host.
 * apply() gets the full handle (Host), which adds write and remove.
 *
 * Reads go through a per-host cache: files and stats (and reads marked
 * cacheable) are kept until something changes on the host: a write, a
 * command run from apply(), a task reporting a change or failing. A file a
 * task read and then wrote stays known as written (content sent, stat
 * reported by the write), so consecutive edits of one file read it once.
 */
import { runReads, reads, type Read, type RemoteFile } from '../connection/batch-read.js';
import { shellQuote } from '../connection/quote.js';
import { removeRemoteFile, writeRemoteFile, type WriteOptions, type WriteResult } from '../connection/remote-file.js';
import type { BecomeOptions, Connection, ExecResult, FileStat } from '../connection/types.js';
import { TsplayError } from '../errors.js';

export interface HostRunOptions {
  /** Written to the command's standard input, then closed. */
  stdin?: string | Buffer;
  /** Working directory. */
  cwd?: string;
  /** Extra environment, over the task's `environment:`. */
  env?: Record<string, string>;
  /** Milliseconds this command may take; default the task's `timeout:`. */
  timeoutMs?: number;
  /** Return the result whatever the exit code (default: a non-zero exit code throws CommandError). */
  allowFailure?: boolean;
  /** Keep at most this many bytes of stdout and of stderr; the result's `truncated` says how many more were dropped. */
  maxOutput?: number;
}

/** What plan() may do with a host: look, never change. */
export interface HostView {
  /** The name of the host the handle reaches (the delegate with delegate_to). */
  readonly name: string;
  /** The user commands run as: the task's become user, or undefined for the login user. */
  readonly becomeUser?: string;
  /**
   * Runs a command (a shell line, or argv words quoted one by one) as the
   * task's user. In plan() use it only for commands that change nothing.
   */
  run(command: string | readonly string[], opts?: HostRunOptions): Promise<ExecResult>;
  /** A file's content and stat, or `exists: false`; from the batch or the cache when declared in `reads`. */
  read(path: string): Promise<RemoteFile>;
  /** A path's stat (not following a final symlink), or null. */
  stat(path: string): Promise<FileStat | null>;
  /** The value of any read (see `reads`). */
  get<T>(read: Read<T>): Promise<T>;
  /** Several reads in one round trip. */
  getAll<const T extends readonly Read<unknown>[]>(list: T): Promise<{ -readonly [K in keyof T]: T[K] extends Read<infer U> ? U : never }>;
}

/** What apply() may do with a host. */
export interface Host extends HostView {
  /**
   * Writes a file atomically (temp file beside it, fsync, owner and mode kept
   * or set, optional backup and validate, rename). Throws FileError.
   */
  write(path: string, content: string | Buffer, opts?: WriteOptions): Promise<WriteResult>;
  /** Removes a file or symlink; false when there was nothing to remove. */
  remove(path: string): Promise<boolean>;
}

/** Per host: values of cacheable reads, dropped whenever the host changes. */
export class HostCache {
  private readonly entries = new Map<string, Outcome>();
  /** Round trips the cache saved (tests and benchmarks). */
  hits = 0;

  lookup(key: string): Outcome | undefined {
    const o = this.entries.get(key);
    if (o) this.hits++;
    return o;
  }

  store(key: string, o: Outcome): void {
    this.entries.set(key, o);
  }

  /** Something changed on the host: forget everything read. */
  drop(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface HostBinding {
  conn: Connection;
  /** The host's name (the delegate's with delegate_to). */
  name: string;
  become?: BecomeOptions;
  environment?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  cache: HostCache;
  /** The module using the handle, for error messages. */
  module: string;
}

function settle(p: () => unknown): Outcome {
  try {
    return { ok: true, value: p() };
  } catch (error) {
    return { ok: false, error };
  }
}

function unwrap<T>(o: Outcome): T {
  if (o.ok) return o.value as T;
  throw o.error;
}

/** The engine's implementation of Host; `view()` is what plan() gets. */
export class TaskHost implements Host {
  /** Paths written or removed through this handle, in order (the engine compares them with the plan). */
  readonly changedPaths: string[] = [];
  /** Round trips made through this handle (exec calls). */
  roundTrips = 0;
  /** This task's reads, including those not cached across tasks. */
  private readonly taskReads = new Map<string, Outcome>();
  /** Files this task wrote and knows as they are now (nothing changed on the host after the write). */
  private readonly written = new Map<string, Outcome>();

  constructor(private readonly b: HostBinding) {}

  get name(): string {
    return this.b.name;
  }

  get becomeUser(): string | undefined {
    return this.b.become ? (this.b.become.user ?? 'root') : undefined;
  }

  private key(read: Read<unknown>): string {
    const env = this.b.environment && read.key.startsWith('command\0') ? JSON.stringify(this.b.environment) : '';
    return `${this.becomeUser ?? ''}\0${env}\0${read.key}`;
  }

  private known(read: Read<unknown>): Outcome | undefined {
    const k = this.key(read);
    const own = this.taskReads.get(k);
    if (own || !read.cache) return own;
    // From the host's cache: now this task's read too (a write after it is an edit).
    const cached = this.b.cache.lookup(k);
    if (cached) this.taskReads.set(k, cached);
    return cached;
  }

  /** Reads what is not known yet, all in one round trip. */
  async prefetch(list: readonly Read<unknown>[]): Promise<void> {
    const todo = new Map<string, Read<unknown>>();
    for (const r of list) if (!this.known(r)) todo.set(this.key(r), r);
    if (!todo.size) return;
    const entries = [...todo.entries()];
    this.roundTrips++;
    // Parse each section on its own, so one unreadable file fails only the module that asks for it.
    const raw = entries.map(([, r]) => ({ ...r, parse: (s: Parameters<Read<unknown>['parse']>[0]) => settle(() => r.parse(s)) }));
    const values = (await runReads(this.b.conn, raw, this.exec())) as Outcome[];
    entries.forEach(([k, r], i) => {
      this.taskReads.set(k, values[i]);
      if (r.cache) this.b.cache.store(k, values[i]);
    });
  }

  private exec(opts: HostRunOptions = {}) {
    return {
      become: this.b.become,
      env: opts.env ? { ...this.b.environment, ...opts.env } : this.b.environment,
      timeoutMs: opts.timeoutMs ?? this.b.timeoutMs,
      signal: this.b.signal,
    };
  }

  async get<T>(read: Read<T>): Promise<T> {
    if (!this.known(read)) await this.prefetch([read]);
    return unwrap<T>(this.known(read)!);
  }

  async getAll<const T extends readonly Read<unknown>[]>(list: T): Promise<{ -readonly [K in keyof T]: T[K] extends Read<infer U> ? U : never }> {
    await this.prefetch(list);
    return list.map((r) => unwrap(this.known(r)!)) as never;
  }

  read(path: string): Promise<RemoteFile> {
    return this.get(reads.file(path));
  }

  stat(path: string): Promise<FileStat | null> {
    return this.get(reads.stat(path));
  }

  private runLine(command: string | readonly string[], opts: HostRunOptions): Promise<ExecResult> {
    const line = typeof command === 'string' ? command : command.map(shellQuote).join(' ');
    this.roundTrips++;
    return this.b.conn.exec(line, { ...this.exec(opts), stdin: opts.stdin, cwd: opts.cwd, allowFailure: opts.allowFailure, maxOutput: opts.maxOutput });
  }

  /** From apply(): the command may change the host, so the cache goes. */
  async run(command: string | readonly string[], opts: HostRunOptions = {}): Promise<ExecResult> {
    this.forget();
    try {
      return await this.runLine(command, opts);
    } finally {
      this.forget();
    }
  }

  async write(path: string, content: string | Buffer, opts: WriteOptions = {}): Promise<WriteResult> {
    // A task that read the file before writing it edits it, and the next task may well edit it again.
    const fileKey = this.key(reads.file(path));
    const seen = this.taskReads.get(fileKey);
    if (seen) {
      // Known as it is now: the replacement is born with its mode.
      const file = seen.ok ? (seen.value as RemoteFile) : undefined;
      opts = { ...opts, statAfter: true, ...(file?.exists && file.stat.isFile ? { knownMode: file.stat.mode & 0o7777 } : {}) };
    }
    this.forget();
    this.changedPaths.push(path);
    this.roundTrips++;
    let result: WriteResult;
    try {
      result = await writeRemoteFile(this.b.conn, path, content, opts, this.exec());
    } finally {
      this.forget();
    }
    // The file is now what was just written, with the stat the write reported: a later task
    // editing it again (lineinfile after lineinfile) reads it from here, not from the host.
    // Only a regular file at `path` itself: a symlinked destination was written through its target.
    if (result.stat?.isFile && result.path === path) {
      const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
      const file: Outcome = { ok: true, value: { path, exists: true, stat: result.stat, content: bytes, text: bytes.toString('utf8') } satisfies RemoteFile };
      this.b.cache.store(fileKey, file);
      this.written.set(fileKey, file);
    }
    return result;
  }

  async remove(path: string): Promise<boolean> {
    this.forget();
    this.roundTrips++;
    try {
      const removed = await removeRemoteFile(this.b.conn, path, this.exec());
      if (removed) this.changedPaths.push(path);
      return removed;
    } finally {
      this.forget();
    }
  }

  /** The host changed (or may have): cached reads are stale. */
  forget(): void {
    this.taskReads.clear();
    this.written.clear();
    this.b.cache.drop();
  }

  /**
   * The task reported a change: everything read may be stale, but for the
   * files it wrote last, which are known as they are now.
   */
  forgetAllButWritten(): void {
    const keep = [...this.written];
    this.forget();
    for (const [k, o] of keep) this.b.cache.store(k, o);
  }

  /** The read-only view for plan(): writes are refused as an engine error. */
  view(): HostView {
    const refuse = (what: string) => (path: string) => {
      throw new TsplayError(
        'runtime',
        `module '${this.b.module}' tried to ${what} ${path} from plan(); plan() may only read (check mode relies on it): move the change to apply()`,
      );
    };
    const self = this;
    return Object.freeze({
      get name() {
        return self.name;
      },
      get becomeUser() {
        return self.becomeUser;
      },
      run: (command: string | readonly string[], opts: HostRunOptions = {}) => this.runLine(command, opts),
      read: (path: string) => this.read(path),
      stat: (path: string) => this.stat(path),
      get: <T>(read: Read<T>) => this.get(read),
      getAll: <const T extends readonly Read<unknown>[]>(list: T) => this.getAll(list),
      write: refuse('write'),
      remove: refuse('remove'),
    }) as HostView;
  }
}
