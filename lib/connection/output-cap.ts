/**
 * How much of a command's output a result keeps. An endless or huge stdout
 * (`yes`, a `cat` of a disk image) would otherwise grow the controller's
 * memory until the process dies; Ansible keeps everything. tsplay keeps the
 * first TSPLAY_OUTPUT_LIMIT bytes of each stream (default 8 MiB) of the
 * commands a playbook runs (command, shell), goes on reading the rest so the
 * command can finish (or be ended by its `timeout:`), and throws it away.
 * The result says how much was dropped (see docs/connection.md).
 */
import { TsplayError } from '../errors.js';

/** Bytes kept per stream when nothing else is said: a few screens more than any log a task shows. */
export const DEFAULT_OUTPUT_LIMIT = 8 * 2 ** 20;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, g: 2 ** 30, gb: 2 ** 30 };

/** `1048576`, `512k`, `8M`, `1G`: a size in bytes. */
export function parseSize(text: string, where: string): number {
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) * unit < 1) {
    throw new TsplayError('option', `${where} must be a size in bytes such as 8M, 512K or 1048576, not '${text}'`, {
      hint: 'Give a positive number of bytes, optionally followed by K, M or G.',
    });
  }
  return Number(m[1]) * unit;
}

/** The limit in force: TSPLAY_OUTPUT_LIMIT (set by --output-limit too), else the default. */
export function outputLimit(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.TSPLAY_OUTPUT_LIMIT;
  return v === undefined || v === '' ? DEFAULT_OUTPUT_LIMIT : parseSize(v, 'TSPLAY_OUTPUT_LIMIT');
}

/** Bytes of one stream past the limit: counted, not kept. */
export class StreamCap {
  kept = 0;
  dropped = 0;
  constructor(private readonly limit = Infinity) {}

  /** The part of `d` to keep; empty once the limit is reached. */
  take(d: Buffer): Buffer {
    const room = this.limit - this.kept;
    if (d.length <= room) {
      this.kept += d.length;
      return d;
    }
    const keep = Math.max(0, room);
    this.kept += keep;
    this.dropped += d.length - keep;
    // A copy: a view would keep the whole chunk (and the pool slab under it) alive.
    return keep ? Buffer.from(d.subarray(0, keep)) : EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);

/** Bytes dropped per stream, as results carry them; undefined when nothing was. */
export function truncation(stdout: StreamCap, stderr: StreamCap): { stdout: number; stderr: number } | undefined {
  return stdout.dropped || stderr.dropped ? { stdout: stdout.dropped, stderr: stderr.dropped } : undefined;
}
