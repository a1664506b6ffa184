/**
 * The local connection (ansible_connection=local, the implicit localhost):
 * the same interface as SSH, backed by child processes and node:fs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { BecomeIO, planBecome } from './become.js';
import { readWhole } from './batch-read.js';
import { writeRemoteFile } from './remote-file.js';
import { abortError, CommandError, FileError, type Connection, type ExecOptions, type ExecResult, type FileOptions, type FileStat } from './types.js';
import { shellQuote, withEnvAndCwd } from './quote.js';
import { SCRIPT_READER, scriptOverStdin } from './stdin-script.js';
import { StreamCap, truncation } from './output-cap.js';
import { parseStatOutput, statCommand } from './stat-command.js';

/** Kills a command and everything it started (it leads its own process group). */
function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

export class LocalConnection implements Connection {
  /** Commands still running: close() stops them, so Ctrl-C leaves nothing behind. */
  private readonly running = new Set<ChildProcess>();

  constructor(readonly host: string) {}

  async connect(): Promise<void> {}

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    // The script goes on stdin (stdin-script.ts), never on the command line `ps` shows.
    // With become, sudo resets the environment and su starts a login shell:
    // environment and directory are set inside the target user's shell instead.
    let plan: ReturnType<typeof planBecome> | undefined;
    let framed: ReturnType<typeof scriptOverStdin>;
    try {
      plan = opts.become ? planBecome(SCRIPT_READER, opts.become) : undefined;
      framed = scriptOverStdin(plan ? withEnvAndCwd(command, opts.env, opts.cwd) : command, Buffer.from(opts.stdin ?? ''));
    } catch (e) {
      return Promise.reject(e); // a refused become user or variable name: a rejection like every other failure
    }
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', plan ? plan.line : framed.line], {
        cwd: plan ? undefined : opts.cwd,
        env: plan ? process.env : { ...process.env, ...opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so a timeout or close() can stop the whole command, not just its shell.
        detached: true,
      });
      this.running.add(child);
      child.stdin.on('error', () => {}); // a command that does not read stdin closes it early
      const io = new BecomeIO(
        plan,
        { write: (d) => child.stdin.write(d), end: (d) => (d ? child.stdin.end(d) : child.stdin.end()) },
        framed.stdin,
        this.host,
      );
      let timedOut = false;
      let aborted = false;
      // An abort lets the command clean up (TERM: a file write removes its temp file), then kills what is left.
      const onAbort = () => {
        aborted = true;
        killTree(child, 'SIGTERM');
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) killTree(child);
        }, 1000).unref();
      };
      if (opts.signal?.aborted) queueMicrotask(onAbort);
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = opts.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            killTree(child);
          }, opts.timeoutMs)
        : undefined;
      // Past the cap the pipes are still read (so the command is not blocked on a full pipe), and the bytes dropped.
      const outCap = new StreamCap(opts.maxOutput);
      const errCap = new StreamCap(opts.maxOutput);
      child.stdout.on('data', (d: Buffer) => {
        const keep = outCap.take(d);
        if (keep.length) io.onStdout(keep);
      });
      child.stderr.on('data', (d: Buffer) => {
        const keep = errCap.take(d);
        if (keep.length) io.onStderr(keep);
      });
      child.on('error', (e) => {
        this.running.delete(child);
        opts.signal?.removeEventListener('abort', onAbort);
        if (timer) clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code, signal) => {
        this.running.delete(child);
        opts.signal?.removeEventListener('abort', onAbort);
        if (timer) clearTimeout(timer);
        if (aborted) {
          reject(abortError(command, opts.signal));
          return;
        }
        let result: ExecResult;
        try {
          const r = io.finish(command, code ?? (signal ? 128 + 9 : 1));
          result = { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
          const truncated = truncation(outCap, errCap);
          if (truncated) result.truncated = truncated;
        } catch (e) {
          reject(e);
          return;
        }
        if (timedOut) {
          result.stderr += `\ncommand timed out after ${opts.timeoutMs} ms`;
          result.rc = 124;
        }
        if (result.rc !== 0 && !opts.allowFailure) reject(new CommandError(command, result));
        else resolve(result);
      });
      io.start();
    });
  }

  /** File operations as another user go through the shell; as ourselves, straight to node:fs. */
  private asOther(opts?: FileOptions): boolean {
    return !!opts?.become && (opts.become.user ?? 'root') !== (process.getuid?.() === 0 ? 'root' : process.env.USER);
  }

  /** Atomic, keeping owner and mode: the same script as over SSH (remote-file.ts). */
  async put(path: string, content: Buffer | string, opts: FileOptions & { mode?: number } = {}): Promise<void> {
    await writeRemoteFile(this, path, content, { mode: opts.mode }, { become: this.asOther(opts) ? opts.become : undefined });
  }

  async get(path: string, opts?: FileOptions): Promise<Buffer> {
    if (this.asOther(opts)) return readWhole(this, path, opts!.become);
    try {
      return await fs.readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new FileError('ENOENT', path, `cannot read ${path}: no such file`);
      if (code === 'EACCES') throw new FileError('EACCES', path, `cannot read ${path}: permission denied`);
      throw e;
    }
  }

  async stat(path: string, opts?: FileOptions): Promise<FileStat | null> {
    if (this.asOther(opts)) {
      const r = await this.exec(`${statCommand(path)} 2>/dev/null`, { become: opts!.become, allowFailure: true });
      return r.rc === 0 ? parseStatOutput(r.stdout) : null;
    }
    try {
      const s = await fs.lstat(path);
      return {
        isFile: s.isFile(),
        isDirectory: s.isDirectory(),
        isSymlink: s.isSymbolicLink(),
        mode: s.mode & 0o7777,
        uid: s.uid,
        gid: s.gid,
        size: s.size,
        mtimeMs: s.mtimeMs,
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async chmod(path: string, mode: number, opts?: FileOptions): Promise<void> {
    if (this.asOther(opts)) await this.exec(`chmod ${mode.toString(8)} ${shellQuote(path)}`, { become: opts!.become });
    else await fs.chmod(path, mode);
  }

  async chown(path: string, uid: number, gid: number, opts?: FileOptions): Promise<void> {
    if (this.asOther(opts)) await this.exec(`chown ${uid}:${gid} ${shellQuote(path)}`, { become: opts!.become });
    else await fs.chown(path, uid, gid);
  }

  async rename(from: string, to: string, opts?: FileOptions): Promise<void> {
    if (this.asOther(opts)) await this.exec(`mv -f ${shellQuote(from)} ${shellQuote(to)}`, { become: opts!.become });
    else await fs.rename(from, to);
  }

  async sha256(path: string, opts?: FileOptions): Promise<string | null> {
    try {
      return createHash('sha256').update(await this.get(path, opts)).digest('hex');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async close(): Promise<void> {
    for (const child of this.running) killTree(child);
    this.running.clear();
  }
}
