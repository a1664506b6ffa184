/**
 * The SSH connection: one TCP connection (plus one per bastion) per host for
 * the whole run, opened on first use, shared by every call. Commands each get
 * a channel, at most `maxChannels` at once; file operations share one SFTP
 * session. Once the host is unreachable or drops, every call rejects at once
 * with the same UnreachableError: no reconnecting.
 */
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { readWhole } from '../batch-read.js';
import { becomeUser, planBecome } from '../become.js';
import { writeRemoteFile } from '../remote-file.js';
import { parseStatOutput, statCommand } from '../stat-command.js';
import { shellQuote, withEnvAndCwd } from '../quote.js';
import {
  CommandError,
  FileError,
  UnreachableError,
  type BecomeOptions,
  type Connection,
  type ExecOptions,
  type ExecResult,
  type FileOptions,
  type FileStat,
} from '../types.js';
import { connectHop, hopLabel, type Hop } from './connect.js';
import { openExec, runChannel, type RawResult } from './exec.js';
import { Limiter } from './limiter.js';
import type { SshSettings } from './options.js';
import { Sftp } from './sftp.js';
import { SessionShell } from './shell.js';
import { SCRIPT_READER, scriptOverStdin } from '../stdin-script.js';

export class SshConnection implements Connection {
  private connecting?: Promise<void>;
  private clients: Client[] = [];
  private client?: Client;
  private dead?: UnreachableError;
  private closed = false;
  private readonly limiter: Limiter;
  private sftpSession?: Promise<Sftp>;
  private readonly pending = new Set<(e: Error) => void>();
  /** The session shell (shell.ts): undefined before the first command, null when the host cannot have one. */
  private shell?: Promise<SessionShell | undefined> | null;

  /**
   * `host` is the inventory name (used in messages and errors); `settings`
   * says where and how to connect: see sshSettingsFromVars.
   */
  constructor(
    readonly host: string,
    readonly settings: SshSettings,
  ) {
    this.limiter = new Limiter(settings.maxChannels);
  }

  /** user@address:port, and the bastions in between. */
  get label(): string {
    const target = hopLabel({ address: this.settings.address, port: this.settings.port, user: this.settings.user });
    return this.settings.jump.length ? `${target} via ${this.settings.jump.map(hopLabel).join(', ')}` : target;
  }

  connect(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.dead) return Promise.reject(this.dead);
    this.connecting ??= this.open().catch((e: unknown) => {
      this.dead ??=
        e instanceof UnreachableError ? e : new UnreachableError(this.host, 'other', `${this.label}: ${(e as Error).message ?? String(e)}`);
      this.teardown();
      throw this.dead;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const s = this.settings;
    let via: { client: Client; label: string } | undefined;
    const hops: Hop[] = [...s.jump, { address: s.address, port: s.port, user: s.user, password: s.password }];
    for (const hop of hops) {
      const c = await connectHop(this.host, hop, s, via);
      this.clients.push(c);
      this.watch(c, hopLabel(hop));
      if (this.closed) {
        this.teardown();
        throw this.closedError();
      }
      via = { client: c, label: via ? `${hopLabel(hop)} via ${via.label}` : hopLabel(hop) };
    }
    this.client = this.clients[this.clients.length - 1];
  }

  private watch(c: Client, label: string): void {
    c.on('error', (e: Error & { level?: string }) => {
      const detail = e.level === 'client-timeout' ? `no answer to keepalives from ${label}` : `${label}: ${e.message}`;
      this.lost(detail);
    });
    c.on('close', () => this.lost(`${label} closed the connection`));
  }

  /** The connection went away under us: fail everything now and from now on. */
  private lost(detail: string): void {
    if (this.closed || this.dead) return;
    this.dead = new UnreachableError(this.host, 'dropped', `${this.label}: connection dropped (${detail})`);
    for (const reject of [...this.pending]) reject(this.dead);
    this.pending.clear();
    this.limiter.failAll(this.dead);
    this.teardown();
  }

  private teardown(): void {
    this.sftpSession = undefined;
    this.shell = undefined;
    for (const c of this.clients.reverse()) {
      try {
        c.end();
      } catch {}
    }
    this.clients = [];
    this.client = undefined;
  }

  private closedError(): Error {
    return new Error(`the connection to ${this.host} was closed`);
  }

  /** Runs `fn` on the ready client; rejects with the UnreachableError if the connection is lost meanwhile. */
  private async guard<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    await this.connect();
    if (this.dead) throw this.dead;
    if (this.closed || !this.client) throw this.closedError();
    const client = this.client;
    return new Promise<T>((resolve, reject) => {
      const onLost = (e: Error) => reject(e);
      this.pending.add(onLost);
      fn(client).then(
        (v) => {
          this.pending.delete(onLost);
          resolve(v);
        },
        (e) => {
          this.pending.delete(onLost);
          reject(this.dead ?? e);
        },
      );
    });
  }

  private async channel(client: Client, line: string): Promise<{ stream: ClientChannel; release: () => void }> {
    for (;;) {
      const release = await this.limiter.acquire();
      try {
        const stream = await openExec(client, line);
        stream.once('close', release);
        return { stream, release };
      } catch (e) {
        const busy = this.limiter.inUse;
        release();
        if (this.dead) throw this.dead;
        // The server allows fewer sessions than our limit (MaxSessions): wait for a channel to finish.
        if (busy > 1 && /open failed|administratively prohibited/i.test((e as Error).message)) {
          this.limiter.lower(busy - 1);
          continue;
        }
        throw e;
      }
    }
  }

  private execRaw(command: string, opts: ExecOptions): Promise<RawResult> {
    // The environment and the script go on stdin (stdin-script.ts): the command line is always the same fixed text.
    const script = withEnvAndCwd(command, opts.env, opts.cwd);
    const input = Buffer.isBuffer(opts.stdin) ? opts.stdin : Buffer.from(opts.stdin ?? '');
    const framed = scriptOverStdin(script, input);
    const plan = opts.become ? planBecome(SCRIPT_READER, opts.become) : undefined;
    const line = plan ? plan.line : framed.line;
    return this.guard(async (client) => {
      if (!plan && !opts.timeoutMs && this.settings.sessionShell) {
        const shell = await this.sessionShell(client);
        if (shell?.accepts(script, input)) return shell.run(script, input, opts.signal, opts.maxOutput).then((r) => this.checkStatus(r));
      }
      const { stream } = await this.channel(client, line);
      const r = await runChannel(stream, { command, line, plan, stdin: framed.stdin, timeoutMs: opts.timeoutMs, host: this.host, signal: opts.signal, maxOutput: opts.maxOutput });
      return this.checkStatus(r);
    });
  }

  private async checkStatus(r: RawResult): Promise<RawResult> {
    if (r.noStatus) {
      // A channel closed without an exit status usually means the connection is going down: let that show.
      await new Promise((res) => setTimeout(res, 100));
      if (this.dead) throw this.dead;
      r.stderr += `${r.stderr ? '\n' : ''}the command ended without an exit status`;
    }
    return r;
  }

  /**
   * The connection's session shell, started with the first command; while it
   * starts, or when the host cannot have one, commands take channels.
   */
  private async sessionShell(client: Client): Promise<SessionShell | undefined> {
    if (this.shell === null) return undefined;
    if (this.shell === undefined) {
      const starting = SessionShell.open(client).then(
        (s) => {
          if (!s && this.shell === starting) this.shell = null;
          return s;
        },
        () => {
          if (this.shell === starting) this.shell = null;
          return undefined;
        },
      );
      this.shell = starting;
      return starting;
    }
    const s = await this.shell;
    if (s?.ended) {
      // It ended (killed by an abort): the next command starts another.
      this.shell = undefined;
      return undefined;
    }
    return s;
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.execRaw(command, opts);
    const result: ExecResult = { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
    if (r.truncated) result.truncated = r.truncated;
    if (result.rc !== 0 && !opts.allowFailure) throw new CommandError(command, result);
    return result;
  }

  private sftp(): Promise<Sftp> {
    this.sftpSession ??= this.guard(
      (client) =>
        new Promise<Sftp>((resolve, reject) => {
          client.sftp((err: Error | undefined, raw: SFTPWrapper) => {
            if (err) return reject(err);
            raw.on('close', () => {
              if (this.sftpSession === session) this.sftpSession = undefined;
            });
            resolve(new Sftp(raw));
          });
        }),
    ).catch((e) => {
      this.sftpSession = undefined;
      throw e;
    });
    const session = this.sftpSession;
    return session;
  }

  private withSftp<T>(fn: (s: Sftp) => Promise<T>): Promise<T> {
    return this.guard(async () => fn(await this.sftp()));
  }

  /** File operations as a user other than the login user go through commands run with become. */
  private asOther(opts?: FileOptions): opts is FileOptions & { become: BecomeOptions } {
    return !!opts?.become && becomeUser(opts.become) !== this.settings.user;
  }

  /** Atomic, keeping owner and mode: the same script as on the local connection (remote-file.ts), one exec. */
  async put(path: string, content: Buffer | string, opts: FileOptions & { mode?: number } = {}): Promise<void> {
    await writeRemoteFile(this, path, content, { mode: opts.mode }, { become: this.asOther(opts) ? opts.become : undefined });
  }

  async get(path: string, opts?: FileOptions): Promise<Buffer> {
    if (this.asOther(opts)) return readWhole(this, path, opts.become);
    try {
      return await this.withSftp((s) => s.readFile(path));
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' || code === 'EACCES') throw new FileError(code, path, `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : 'permission denied'}`);
      throw e;
    }
  }

  async stat(path: string, opts?: FileOptions): Promise<FileStat | null> {
    if (!this.asOther(opts)) return this.withSftp((s) => s.lstat(path));
    const cmd = statCommand(path);
    const r = await this.exec(cmd, { become: opts.become, allowFailure: true });
    if (r.rc !== 0) {
      if (/No such file/.test(r.stderr)) return null;
      throw new CommandError(cmd, r);
    }
    return parseStatOutput(r.stdout);
  }

  async chmod(path: string, mode: number, opts?: FileOptions): Promise<void> {
    if (!this.asOther(opts)) return this.withSftp((s) => s.chmod(path, mode));
    await this.exec(`chmod ${mode.toString(8)} -- ${shellQuote(path)}`, { become: opts.become });
  }

  async chown(path: string, uid: number, gid: number, opts?: FileOptions): Promise<void> {
    if (!this.asOther(opts)) return this.withSftp((s) => s.chown(path, uid, gid));
    await this.exec(`chown ${uid}:${gid} -- ${shellQuote(path)}`, { become: opts.become });
  }

  async rename(from: string, to: string, opts?: FileOptions): Promise<void> {
    if (!this.asOther(opts)) return this.withSftp((s) => s.rename(from, to));
    await this.exec(`mv -f -T -- ${shellQuote(from)} ${shellQuote(to)}`, { become: opts.become });
  }

  async sha256(path: string, opts?: FileOptions): Promise<string | null> {
    const cmd = `sha256sum -- ${shellQuote(path)}`;
    const r = await this.exec(cmd, { become: this.asOther(opts) ? opts.become : undefined, allowFailure: true });
    if (r.rc !== 0) {
      if (/No such file/.test(r.stderr)) return null;
      throw new CommandError(cmd, r);
    }
    const m = /^\\?([0-9a-f]{64})/.exec(r.stdout);
    if (!m) throw new CommandError(cmd, { ...r, stderr: `unexpected sha256sum output: ${r.stdout.slice(0, 200)}` });
    return m[1];
  }

  /**
   * Ends the connection; idempotent. Calls still running reject. Remote
   * commands without a terminal are not killed (as with OpenSSH): a command
   * that is halfway through finishes on the host.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = this.closedError();
    for (const reject of [...this.pending]) reject(err);
    this.pending.clear();
    this.limiter.failAll(err);
    const target = this.client;
    void this.shell?.then((s) => s?.close());
    const sftp = this.sftpSession;
    this.sftpSession = undefined;
    if (sftp) await Promise.race([sftp.then((s) => s.end(), () => {}), new Promise((r) => setTimeout(r, 200))]);
    const gone = target
      ? new Promise<void>((res) => {
          target.once('close', () => res());
          setTimeout(res, 1000).unref();
        })
      : Promise.resolve();
    this.teardown();
    await gone;
  }
}
