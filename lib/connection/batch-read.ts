/**
 * Declarative reads, batched: any number of file reads, stats and commands
 * become one shell script, run with one `exec` (one round trip) with the
 * task's become, environment and timeout, and parsed back into values.
 *
 * Each read prints a section after a random boundary line; contents and
 * command output travel base64-encoded, so nothing a file holds can be
 * mistaken for the protocol.
 */
import { randomBytes } from 'node:crypto';
import { shellQuote } from './quote.js';
import { STAT_FORMAT, parseStatOutput } from './stat-command.js';
import { CommandError, FileError, type BecomeOptions, type Connection, type ExecResult, type FileStat } from './types.js';

/** A file as read from the host: content and stat, or absent. */
export type RemoteFile =
  | { path: string; exists: false; stat: null; content: null; text: null }
  | {
      path: string;
      exists: true;
      /** The stat of the file a symlink points to; `isSymlink` says whether `path` is one. */
      stat: FileStat;
      /** The bytes, for a regular file (null for a directory or a device). */
      content: Buffer | null;
      /** The content as UTF-8 text (null when `content` is null). */
      text: string | null;
    };

/** One parsed section of the batch's output. */
export interface Section {
  fields: Record<string, string>;
  blocks: Record<string, Buffer>;
}

/**
 * Something to read from a host. Make them with `reads.file()`,
 * `reads.stat()`, `reads.command()`, `reads.systemd()`.
 */
export interface Read<T> {
  /** Identifies the read: two reads with the same key are read once. */
  readonly key: string;
  /** Kept in the host's cache until something changes on the host. */
  readonly cache: boolean;
  /** @internal the shell snippet that prints this read's section. */
  readonly script: string;
  /** @internal turns the section into the value. */
  parse(section: Section): T;
  /** @internal true when the snippet needs the batch's scratch directory ($T). */
  readonly scratch?: boolean;
}

function statSnippet(flag: '' | '-L '): string {
  return [
    `if s=$(LC_ALL=C stat ${flag}-c ${STAT_FORMAT} -- "$p" 2>&1); then echo "stat $s"`,
    `else case "$s" in *"No such file"*|*"Not a directory"*) echo absent ;; *) printf 'error %s\\n' "$(printf '%s' "$s" | head -n 1)" ;; esac; fi`,
  ].join('\n');
}

function fileError(path: string, s: Section): never {
  const msg = s.fields.error ?? 'no answer';
  throw new FileError(/Permission denied/i.test(msg) ? 'EACCES' : 'EOTHER', path, `cannot read ${path}: ${msg}`, msg);
}

/** Builds reads; the engine runs a task's declared reads in one round trip. */
export const reads = {
  /** A file's content and stat (following a final symlink), or `exists: false`. */
  file(path: string): Read<RemoteFile> {
    return {
      key: `file\0${path}`,
      cache: true,
      script: [
        `p=${shellQuote(path)}`,
        statSnippet('-L '),
        'if [ -L "$p" ]; then echo "link 1"; fi',
        `if [ -f "$p" ]; then if [ -r "$p" ]; then echo 'b64 content'; base64 < "$p"; echo end; else echo 'error Permission denied'; fi; fi`,
      ].join('\n'),
      parse(s) {
        if ('absent' in s.fields) return { path, exists: false, stat: null, content: null, text: null };
        if (s.fields.error !== undefined || s.fields.stat === undefined) fileError(path, s);
        const stat = { ...parseStatOutput(s.fields.stat), isSymlink: s.fields.link === '1' };
        const content = s.blocks.content ?? null;
        return { path, exists: true, stat, content, text: content ? content.toString('utf8') : null };
      },
    };
  },

  /** A path's stat, not following a final symlink; null when it does not exist. */
  stat(path: string): Read<FileStat | null> {
    return {
      key: `stat\0${path}`,
      cache: true,
      script: [`p=${shellQuote(path)}`, statSnippet('')].join('\n'),
      parse(s) {
        if ('absent' in s.fields) return null;
        if (s.fields.error !== undefined || s.fields.stat === undefined) fileError(path, s);
        return parseStatOutput(s.fields.stat);
      },
    };
  },

  /**
   * A command's output (stdin empty), parsed by `parse` (default: the
   * ExecResult itself; a non-zero rc is data, not an error). Not cached
   * across tasks unless `cache: true`: a command's answer may change
   * without tsplay changing anything.
   */
  command<T = ExecResult>(command: string, parse?: (result: ExecResult) => T, opts: { cache?: boolean } = {}): Read<T> {
    return {
      key: `command\0${command}`,
      cache: !!opts.cache,
      scratch: true,
      script: [
        `( ${command}\n) < /dev/null > "$T/o" 2> "$T/e"`,
        'echo "rc $?"',
        `echo 'b64 out'; base64 < "$T/o"; echo end`,
        `echo 'b64 err'; base64 < "$T/e"; echo end`,
      ].join('\n'),
      parse(s) {
        const result: ExecResult = {
          rc: Number(s.fields.rc ?? 255),
          stdout: (s.blocks.out ?? Buffer.alloc(0)).toString('utf8'),
          stderr: (s.blocks.err ?? Buffer.alloc(0)).toString('utf8'),
        };
        return parse ? parse(result) : (result as T);
      },
    };
  },

  /**
   * `systemctl show` of a unit: its properties as strings (all of them, or
   * only those named). A unit that does not exist has LoadState=not-found.
   */
  systemd(unit: string, properties?: string[]): Read<Record<string, string>> {
    const props = properties?.length ? ` -p ${shellQuote(properties.join(','))}` : '';
    return reads.command(`systemctl show --no-pager${props} -- ${shellQuote(unit)}`, (r) => {
      if (r.rc !== 0) throw new CommandError(`systemctl show ${unit}`, r);
      const out: Record<string, string> = {};
      for (const line of r.stdout.split('\n')) {
        const i = line.indexOf('=');
        if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
      }
      return out;
    });
  },
};

export interface BatchExec {
  become?: BecomeOptions;
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The script for a batch, and how to split its output. */
export function batchScript(list: Read<unknown>[]): { script: string; boundary: string } {
  const boundary = `@@tsplay-${randomBytes(8).toString('hex')}`;
  const lines: string[] = [];
  if (list.some((r) => r.scratch)) lines.push('T=$(mktemp -d) || exit 1', `trap 'rm -rf -- "$T"' EXIT`);
  list.forEach((r, i) => lines.push(`echo '${boundary} ${i}'`, r.script));
  lines.push(`echo '${boundary} end'`);
  return { script: lines.join('\n'), boundary };
}

export function parseBatch(stdout: string, boundary: string, count: number): Section[] | undefined {
  const sections: Section[] = [];
  let current: Section | undefined;
  let block: { name: string; lines: string[] } | undefined;
  let ended = false;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(boundary + ' ')) {
      const tag = line.slice(boundary.length + 1);
      if (tag === 'end') {
        ended = true;
        break;
      }
      current = { fields: {}, blocks: {} };
      sections[Number(tag)] = current;
      block = undefined;
      continue;
    }
    if (!current) continue;
    if (block) {
      if (line === 'end') {
        current.blocks[block.name] = Buffer.from(block.lines.join(''), 'base64');
        block = undefined;
      } else block.lines.push(line);
      continue;
    }
    const sp = line.indexOf(' ');
    const tag = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    if (tag === 'b64') block = { name: rest, lines: [] };
    else if (tag) current.fields[tag] = rest;
  }
  if (!ended || sections.length !== count) return undefined;
  return sections;
}

/** Runs the reads with one exec; values in the same order. */
export async function runReads(conn: Pick<Connection, 'exec'>, list: Read<unknown>[], opts: BatchExec = {}): Promise<unknown[]> {
  if (!list.length) return [];
  const { script, boundary } = batchScript(list);
  const r = await conn.exec(script, { become: opts.become, env: opts.env, timeoutMs: opts.timeoutMs, signal: opts.signal, allowFailure: true });
  const sections = parseBatch(r.stdout, boundary, list.length);
  if (!sections) throw new CommandError(`read ${list.length} item(s) from the host`, { rc: r.rc || 1, stdout: r.stdout.slice(-500), stderr: r.stderr });
  return list.map((read, i) => read.parse(sections[i]));
}

/** A whole file through a read (for transports that must read as another user); FileError when absent. */
export async function readWhole(conn: Pick<Connection, 'exec'>, path: string, become?: BecomeOptions): Promise<Buffer> {
  const [f] = (await runReads(conn, [reads.file(path)], { become })) as [RemoteFile];
  if (!f.exists) throw new FileError('ENOENT', path, `cannot read ${path}: no such file`);
  if (!f.content) throw new FileError('EOTHER', path, `cannot read ${path}: not a regular file`);
  return f.content;
}
