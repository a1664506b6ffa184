/**
 * The session shell: one long-lived bash on one channel per connection that
 * runs the connection's commands one after another, each in a subshell of
 * its own, so a command costs one write and its answer instead of a channel
 * (open, exec request, window, EOF, exit status, close: eight packets) and a
 * new login shell on the host (fork, exec, .bashrc). Modelled on what
 * mitogen does with its persistent interpreter, in a dozen lines of bash.
 *
 * Wire format, controller to host: `MARK STDINLEN CMDLEN\n`, CMDLEN bytes of
 * command, then STDINLEN bytes of standard input. Counted, not terminated:
 * bash reads a counted string (`read -N`) in a few reads, where a delimited
 * one costs a read per byte. The host runs the command as sshd
 * would, in `$SHELL` (SHLVL=0, so bash reads .bashrc as it does for sshd,
 * and `$$` is the command's own shell), in the background; the command
 * reaches that shell on its standard input, between two MARK lines for the
 * fixed script reader (stdin-script.ts), never on a command line that `ps`
 * shows. The loop answers
 * `MARK PID\n` on stderr when it started, then `MARK RC\n` on stdout and
 * `MARK\n` on stderr when it ended. MARK is a random prefix per shell and the
 * command's number, so no output can end a command early.
 *
 * Only plain commands use it: no become (a password prompt needs its own
 * channel), no per-call timeout (those kill the channel), one at a time
 * (a second command while one runs takes a channel as before), and
 * standard input only where `head -c` reads exactly (GNU coreutils).
 * A shell that is not bash, or that does not answer, is given up and every
 * command takes a channel.
 *
 * Standard input shares the loop's input with the commands, so the bytes of
 * a command's input must never be read as the next command: a file's content
 * would run as shell code. Three things keep them apart:
 *   - `head -c` always reads all STDINLEN bytes: whatever the command leaves
 *     unread when it exits is drained after it, so head never dies of SIGPIPE
 *     half-way;
 *   - every header must start with the shell's secret prefix (sent first on
 *     standard input, never on a command line) and give a number, or the loop
 *     exits without running anything;
 *   - a command with input that is aborted takes the shell with it: the next
 *     command starts a new one.
 */
import { randomBytes } from 'node:crypto';
import type { Client, ClientChannel } from 'ssh2';
import { SCRIPT_READER } from '../stdin-script.js';
import { abortError } from '../types.js';
import type { RawResult } from './exec.js';
import { openExec } from './exec.js';

export const SESSION_LOOP = `[ -n "$BASH_VERSION" ] || exit 97
exec 3<&0
IFS= read -r __tsplay_p || exit 98
__tsplay_s='${SCRIPT_READER}'
__tsplay_g=0; case $(head --version 2>/dev/null) in *GNU*) __tsplay_g=1 ;; esac
printf 'TSPLAY-SHELL-READY %s\\n' "$__tsplay_g"
while IFS=' ' read -r __tsplay_m __tsplay_n __tsplay_l; do
  case $__tsplay_m in "$__tsplay_p"[0-9]*) ;; *) exit 98 ;; esac
  case $__tsplay_n$__tsplay_l in ''|*[!0-9]*) exit 98 ;; esac
  LC_ALL=C IFS= read -r -N "$__tsplay_l" __tsplay_c || exit 98
  if [ "$__tsplay_n" = 0 ]; then printf '%s whole\\n%s\\n%s\\n' "$__tsplay_m" "$__tsplay_c" "$__tsplay_m" | SHLVL=0 "\${SHELL:-/bin/sh}" -c "$__tsplay_s" 3<&- &
  else { printf '%s\\n%s\\n%s\\n' "$__tsplay_m" "$__tsplay_c" "$__tsplay_m"; head -c "$__tsplay_n" <&3; } | { SHLVL=0 "\${SHELL:-/bin/sh}" -c "$__tsplay_s"; __tsplay_r=$?; if IFS= read -r -n 1 -d '' _; then cat >/dev/null; fi; exit "$__tsplay_r"; } 3<&- & fi
  printf '%s %d\\n' "$__tsplay_m" "$!" >&2
  wait "$!"
  printf '%s %d\\n' "$__tsplay_m" "$?"
  printf '%s\\n' "$__tsplay_m" >&2
done`;

const READY = Buffer.from('TSPLAY-SHELL-READY ');

/** Output past the limit is trimmed once this much more has come: each byte is copied a bounded number of times. */
const SLACK = 64 * 1024;

/** The last `n` bytes of chunks holding `len` bytes, copying only the chunks they are in. */
function lastBytes(chunks: Buffer[], len: number, n: number): Buffer {
  if (chunks.length === 1 || chunks[chunks.length - 1].length >= n) return chunks[chunks.length - 1].subarray(-Math.min(n, chunks[chunks.length - 1].length));
  let take = 0;
  let from = chunks.length;
  while (from > 0 && take < n) take += chunks[--from].length;
  const joined = Buffer.concat(chunks.slice(from));
  return joined.subarray(Math.max(0, joined.length - Math.min(n, len)));
}

/** A command's result from what was kept of its streams: the rest of the output (`rest`, `stderr`) counts as dropped when a head was kept. */
function result(r: Running, rc: number, rest: Buffer, noStatus: boolean): RawResult {
  const out = keep(r.outHead, rest, r.limit);
  const err = keep(r.errHead, r.stderr, r.limit);
  const dropped = { stdout: r.outDropped + out.dropped, stderr: r.errDropped + err.dropped };
  return {
    rc,
    stdout: out.kept.toString(),
    stderr: err.kept.toString(),
    stdoutBuf: out.kept,
    noStatus,
    ...(dropped.stdout || dropped.stderr ? { truncated: dropped } : {}),
  };
}

function keep(head: Buffer | undefined, rest: Buffer, limit: number): { kept: Buffer; dropped: number } {
  if (head) return { kept: head, dropped: rest.length };
  if (rest.length <= limit) return { kept: rest, dropped: 0 };
  return { kept: rest.subarray(0, limit), dropped: rest.length - limit };
}

/** Kills a process and all under it: each is stopped first, so none forks again while its children are found. */
function killTreeCommand(pid: number): string {
  return `k() { kill -STOP "$1" 2>/dev/null; for c in $(pgrep -P "$1"); do k "$c"; done; kill -KILL "$1" 2>/dev/null; }; k ${pid}; true`;
}

interface Running {
  marker: string;
  stdout: Buffer[];
  stdoutLen: number;
  stderr: Buffer;
  rc?: number;
  stderrDone: boolean;
  pid?: number;
  /** The caller stopped waiting (aborted): the answer is dropped when it comes. */
  abandoned: boolean;
  /** The command was given standard input. */
  hasInput: boolean;
  /** Bytes kept per stream (output-cap.ts). */
  limit: number;
  /** Once stdout passed the limit: the bytes kept; `stdout` is then only a window at the end, where the end mark comes. */
  outHead?: Buffer;
  outDropped: number;
  /** The same for stderr. */
  errHead?: Buffer;
  errDropped: number;
  resolve: (r: RawResult) => void;
  reject: (e: Error) => void;
}

export class SessionShell {
  private busyWith?: Running;
  private closed = false;
  /** An aborted command may have left part of its input unread: no command is sent after it. */
  private retiring = false;
  private gnuHead = false;
  /** Marks are this random prefix and a count: unguessable by a command, unique per command. */
  private readonly prefix = `__tsplay_${randomBytes(12).toString('hex')}_`;
  private seq = 0;

  private constructor(
    private readonly stream: ClientChannel,
    private readonly client: Client,
  ) {}

  /** Starts the shell; undefined when the host's shell is not bash or does not answer. */
  static async open(client: Client, timeoutMs = 15_000): Promise<SessionShell | undefined> {
    const stream = await openExec(client, SESSION_LOOP);
    const shell = new SessionShell(stream, client);
    stream.write(`${shell.prefix}\n`);
    const ok = await new Promise<boolean>((resolve) => {
      let head = Buffer.alloc(0);
      const timer = setTimeout(() => done(false), timeoutMs);
      const onData = (d: Buffer) => {
        head = Buffer.concat([head, d]);
        const i = head.indexOf(READY);
        if (i < 0) return;
        const nl = head.indexOf(0x0a, i);
        if (nl < 0) return;
        shell.gnuHead = head.subarray(i + READY.length, nl).toString() === '1';
        // What .bashrc printed before the loop is not a command's output.
        done(true);
      };
      const onClose = () => done(false);
      const done = (v: boolean) => {
        clearTimeout(timer);
        stream.off('data', onData);
        stream.off('close', onClose);
        resolve(v);
      };
      stream.on('data', onData);
      stream.on('close', onClose);
    });
    stream.on('error', () => {});
    stream.stderr.on('error', () => {});
    if (!ok) {
      try {
        stream.close();
      } catch {}
      return undefined;
    }
    stream.on('data', (d: Buffer) => shell.onStdout(d));
    stream.stderr.on('data', (d: Buffer) => shell.onStderr(d));
    stream.on('close', () => shell.onClose());
    return shell;
  }

  get usable(): boolean {
    return !this.ended && !this.busyWith;
  }

  /** The shell is gone (killed after an abort, or the host ended it), or takes no more commands. */
  get ended(): boolean {
    return this.closed || this.retiring;
  }

  /** Can this command run here now? */
  accepts(command: string, stdin: Buffer): boolean {
    return this.usable && !command.includes('\0') && (stdin.length === 0 || this.gnuHead);
  }

  run(command: string, stdin: Buffer, signal?: AbortSignal, maxOutput = Infinity): Promise<RawResult> {
    return new Promise<RawResult>((resolve, reject) => {
      const marker = `${this.prefix}${++this.seq}`;
      const running: Running = {
        marker,
        stdout: [],
        stdoutLen: 0,
        stderr: Buffer.alloc(0),
        stderrDone: false,
        abandoned: false,
        hasInput: stdin.length > 0,
        limit: maxOutput,
        outDropped: 0,
        errDropped: 0,
        resolve,
        reject,
      };
      this.busyWith = running;
      const onAbort = () => this.abort(running, command, signal);
      if (signal?.aborted) return queueMicrotask(onAbort);
      signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => signal?.removeEventListener('abort', onAbort);
      running.resolve = (r) => {
        cleanup();
        resolve(r);
      };
      running.reject = (e) => {
        cleanup();
        reject(e);
      };
      const text = Buffer.from(command);
      this.stream.write(Buffer.concat([Buffer.from(`${marker} ${stdin.length} ${text.length}\n`), text, stdin]));
    });
  }

  /**
   * Kills the command and every process under it through a channel of its
   * own; the caller gets the abort at once. A command that had input may have
   * left some of it unread, so its shell is retired: it ends once the kill is
   * done, and the next command starts a new one.
   */
  private abort(running: Running, command: string, signal?: AbortSignal): void {
    if (running.abandoned || this.busyWith !== running) return;
    running.abandoned = true;
    running.reject(abortError(command, signal));
    if (running.hasInput) this.retiring = true;
    if (running.pid) {
      openExec(this.client, killTreeCommand(running.pid))
        .then((s) => {
          s.on('error', () => {});
          s.resume();
          s.stderr.resume();
          if (running.hasInput) s.on('close', () => this.kill());
        })
        .catch(() => this.kill());
    } else {
      this.kill();
    }
  }

  private onStdout(d: Buffer): void {
    const r = this.busyWith;
    // Output between commands, or after a command's end mark (a process it left running in the
    // background, still printing on the shell's stdout): no command's, and dropped, whatever it prints.
    if (!r || r.rc !== undefined) return;
    r.stdout.push(d);
    r.stdoutLen += d.length;
    // The end mark `MARK RC\n` may be followed at once by a background process's output, so it is
    // looked for anywhere in what came (and a mark's length before, for a mark split across chunks):
    // its random prefix cannot come from a command.
    const mark = Buffer.from(`${r.marker} `);
    const span = Math.min(r.stdoutLen, d.length + mark.length + 24);
    const tail = lastBytes(r.stdout, r.stdoutLen, span);
    const i = tail.indexOf(mark);
    const nl = i < 0 ? -1 : tail.indexOf(0x0a, i + mark.length);
    const rc = nl < 0 ? NaN : Number(tail.subarray(i + mark.length, nl).toString('latin1'));
    if (nl >= 0 && tail.subarray(i + mark.length, nl).length > 0 && Number.isInteger(rc)) {
      r.rc = rc;
      const all = r.stdout.length === 1 ? r.stdout[0] : Buffer.concat(r.stdout, r.stdoutLen);
      const end = all.length - (tail.length - i);
      r.stdout = [all.subarray(0, end)];
      r.stdoutLen = end;
      this.maybeDone();
      return;
    }
    if (r.stdoutLen > (r.outHead ? 0 : r.limit) + SLACK) this.trimStdout(r);
  }

  /** Past the limit: the first `limit` bytes are kept, a window at the end is kept for the end mark, the rest is dropped. */
  private trimStdout(r: Running): void {
    const all = Buffer.concat(r.stdout, r.stdoutLen);
    const window = Buffer.from(all.subarray(all.length - (r.marker.length + 24)));
    if (!r.outHead) {
      r.outHead = Buffer.from(all.subarray(0, r.limit));
      r.outDropped += all.length - r.limit - window.length;
    } else {
      r.outDropped += all.length - window.length;
    }
    r.stdout = [window];
    r.stdoutLen = window.length;
  }

  private onStderr(d: Buffer): void {
    const r = this.busyWith;
    if (!r) return;
    r.stderr = r.stderr.length ? Buffer.concat([r.stderr, d]) : d;
    if (r.pid === undefined) {
      // `MARK PID\n`, written when the command started; the command's own stderr may come before it.
      const head = Buffer.from(`${r.marker} `);
      const i = r.stderr.indexOf(head);
      if (i < 0) return;
      const nl = r.stderr.indexOf(0x0a, i);
      if (nl < 0) return;
      r.pid = Number(r.stderr.subarray(i + head.length, nl).toString('latin1'));
      r.stderr = i === 0 && nl === r.stderr.length - 1 ? Buffer.alloc(0) : Buffer.concat([r.stderr.subarray(0, i), r.stderr.subarray(nl + 1)]);
    }
    // `MARK\n` ends it.
    const n = r.marker.length + 1;
    if (r.stderr.length > (r.errHead ? 0 : r.limit) + SLACK) {
      // As for stdout: the head is kept, a window for the end mark, the rest dropped.
      const s = r.stderr;
      if (!r.errHead) {
        r.errHead = Buffer.from(s.subarray(0, r.limit));
        r.errDropped += s.length - r.limit - n;
      } else {
        r.errDropped += s.length - n;
      }
      r.stderr = Buffer.from(s.subarray(s.length - n));
    }
    const s = r.stderr;
    if (s.length >= n && s[s.length - 1] === 0x0a && s.toString('latin1', s.length - n, s.length - 1) === r.marker) {
      r.stderr = s.subarray(0, s.length - n);
      r.stderrDone = true;
      this.maybeDone();
    }
  }

  private maybeDone(): void {
    const r = this.busyWith;
    if (!r || r.rc === undefined || !r.stderrDone) return;
    this.busyWith = undefined;
    if (r.abandoned) return;
    r.resolve(result(r, r.rc, r.stdout[0] ?? Buffer.alloc(0), false));
  }

  private onClose(): void {
    this.closed = true;
    const r = this.busyWith;
    this.busyWith = undefined;
    if (r && !r.abandoned) r.resolve(result(r, 255, Buffer.concat(r.stdout), true));
  }

  /** Ends the shell (the loop ends at EOF); a command still running finishes on the host. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.stream.end();
    } catch {}
  }

  private kill(): void {
    try {
      this.stream.signal('KILL');
    } catch {}
    try {
      this.stream.close();
    } catch {}
    this.onClose();
  }
}
