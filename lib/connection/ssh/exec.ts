/**
 * One command on one SSH channel: stdin, stdout and stderr through the
 * become prompt handling, exit status or signal, and the per-call timeout
 * (send KILL to the remote process, then close the channel).
 */
import { constants } from 'node:os';
import type { Client, ClientChannel } from 'ssh2';
import { BecomeIO, type BecomePlan } from '../become.js';
import { abortError } from '../types.js';
import { StreamCap, truncation } from '../output-cap.js';

export interface ChannelRun {
  /** The command as the caller gave it, for error messages. */
  command: string;
  /** What the remote shell runs. */
  line: string;
  plan?: BecomePlan;
  stdin: Buffer;
  timeoutMs?: number;
  host: string;
  /** Kills the remote command (KILL, then the channel closes) and rejects. */
  signal?: AbortSignal;
  /** Bytes kept per stream; the rest is read and dropped. */
  maxOutput?: number;
}

export interface RawResult {
  rc: number;
  stdout: string;
  stderr: string;
  stdoutBuf: Buffer;
  /** The channel closed without an exit status (the connection may be going down). */
  noStatus: boolean;
  /** Bytes dropped past ChannelRun.maxOutput. */
  truncated?: { stdout: number; stderr: number };
}

/** How the remote process ended, as far as the server said. */
export interface ExitInfo {
  code?: number;
  signal?: string;
}

const exits = new WeakMap<ClientChannel, ExitInfo>();

export function openExec(client: Client, line: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(line, (err, stream) => {
        if (err) return reject(err);
        // Listen now: a short command's output, exit status and close can
        // arrive in the same packet as the channel's opening, before the
        // promise's continuation runs. Output is buffered by the stream; the
        // 'exit' event is not.
        const exit: ExitInfo = {};
        exits.set(stream, exit);
        stream.on('exit', (c: number | null, sig?: string) => {
          if (typeof c === 'number') exit.code = c;
          else if (sig) exit.signal = sig;
        });
        resolve(stream);
      });
    } catch (e) {
      reject(e); // ssh2 throws synchronously when the socket is already gone
    }
  });
}

function signalNumber(name: string): number {
  // ssh2 reports "SIGTERM"; the wire has "TERM".
  const n = (constants.signals as Record<string, number>)[name.startsWith('SIG') ? name : `SIG${name}`];
  return n ?? 9;
}

export function runChannel(stream: ClientChannel, run: ChannelRun): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const exit = exits.get(stream) ?? {};
    let timedOut = false;
    let settled = false;
    stream.on('error', () => {}); // the connection's own handler reports losses
    stream.stderr.on('error', () => {});
    const io = new BecomeIO(
      run.plan,
      {
        write: (d) => {
          if (stream.writable) stream.write(d);
        },
        end: (d) => {
          if (stream.writable) stream.end(d);
        },
      },
      run.stdin,
      run.host,
    );
    const timer = run.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          // OpenSSH delivers signal requests since 7.9; closing the channel covers older servers.
          try {
            stream.signal('KILL');
          } catch {}
          stream.close();
          finish();
        }, run.timeoutMs)
      : undefined;

    const onAbort = () => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      try {
        stream.signal('KILL');
      } catch {}
      stream.close();
      reject(abortError(run.command, run.signal));
    };
    if (run.signal?.aborted) queueMicrotask(onAbort);
    else run.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = () => {
      if (settled) return;
      settled = true;
      run.signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
      const { code, signal } = exit;
      const rc = timedOut ? 124 : code ?? (signal ? 128 + signalNumber(signal) : 255);
      try {
        const r = io.finish(run.command, rc);
        if (timedOut) r.stderr += `${r.stderr && !r.stderr.endsWith('\n') ? '\n' : ''}command timed out after ${run.timeoutMs} ms`;
        resolve({ ...r, noStatus: !timedOut && code === undefined && signal === undefined, truncated: truncation(outCap, errCap) });
      } catch (e) {
        reject(e);
      }
    };

    // Past the cap the channel is still read (so the window stays open and the command can end), and the bytes dropped.
    const outCap = new StreamCap(run.maxOutput);
    const errCap = new StreamCap(run.maxOutput);
    stream.on('data', (d: Buffer) => {
      const keep = outCap.take(d);
      if (keep.length) io.onStdout(keep);
    });
    stream.stderr.on('data', (d: Buffer) => {
      const keep = errCap.take(d);
      if (keep.length) io.onStderr(keep);
    });
    stream.on('close', finish);
    io.start();
  });
}
