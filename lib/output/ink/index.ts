/**
 * The terminal UI reporter: the plain reporter's lines, scrolled up as static
 * output, under a live region that shows which hosts the current task is
 * still waiting for. React and ink are imported only here, and only when a
 * run starts, so `tsplay --help` does not pay for them.
 */
import type { Instance } from 'ink';
import type { Reporter, RunEvent } from '../events.js';
import { plainReporter, painter, type Paint } from '../plain.js';
import { unifiedDiff } from '../diff-text.js';
import { visibleText } from '../visible-text.js';
import type { Chunk, Frame, PendingHost } from './view.js';

export interface InkReporterOptions {
  stdout?: NodeJS.WriteStream;
  verbosity: number;
  diff: boolean;
  /** Defaults to on unless NO_COLOR is set. */
  color?: boolean;
}

export interface InkReporter {
  reporter: Reporter;
  /** Ctrl-C: takes the live lines off the screen at once, before anything else is printed. */
  interrupt?(): void;
  /** Renders the last frame, unmounts, and resolves once it has reached stdout. */
  done(): Promise<void>;
}

/** A spinner frame every 100 ms is smooth enough, and keeps a large run from redrawing per event. */
const FRAME_MS = 100;

/** Ansible colours diff lines: additions green, removals red, hunk headers cyan. */
function colorDiff(text: string, paint: Paint): string {
  return text
    .split('\n')
    .map((l) => (l.startsWith('+') ? paint('ok', l) : l.startsWith('-') ? paint('failed', l) : l.startsWith('@@') ? paint('skipped', l) : l))
    .join('\n');
}

/**
 * A terminal that reports no size (a pty nobody sized, as `script` makes
 * without a terminal of its own) would make ink wrap at one column and
 * clear the screen every frame: assume 80x24 there.
 */
function sized(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (stream.columns && stream.rows) return stream;
  return new Proxy(stream, {
    get(target, key) {
      if (key === 'columns') return target.columns || 80;
      if (key === 'rows') return target.rows || 24;
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const SGR = /\x1b\[[0-9;]*m/g;
const SCRIPT_IN_SHELL = /^\S+ -c 'eval "\$\(cat <&9\)" 9<&-' 9<<'__TSPLAY_SCRIPT_[0-9a-f]+'$/;

/**
 * One short line for a command a host runs. tsplay's own wrappers are read
 * back: a batch of reads, or the words of an exact command (`w="$w"'word'`).
 */
export function commandSummary(command: string, max = 60): string {
  let text: string;
  if (command.includes('@@tsplay-')) text = 'reading files and state';
  else {
    const words: string[] = [];
    const lines = command.split('\n');
    // The shell module's wrapper (scriptInShell): the script is what the host runs.
    if (SCRIPT_IN_SHELL.test(lines[0])) lines.shift();
    for (const line of lines) {
      const m = /^w=''; ((?:w="\$w"'[^']*'; )+)set -- "\$@" "\$w"$/.exec(line);
      if (m) words.push([...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]).join(''));
    }
    text = words.length ? words.join(' ') : (lines.find((l) => l.trim()) ?? '').trim();
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * ink lays static output out on a grid of width x height cell objects, so a
 * 100 kB line in a frame of many lines would cost gigabytes: past this many
 * cells a chunk is laid out narrower and its longest lines are broken.
 */
const CELL_BUDGET = 250_000;

/** Columns a string takes, counting every non-ASCII character as two (never less than the truth). */
function columnsOf(s: string): number {
  let n = 0;
  for (const ch of s) n += ch.charCodeAt(0) < 0x80 ? 1 : 2;
  return n;
}

/**
 * Breaks a line into pieces of at most `width` columns. ink would do it too,
 * but its wrapping is quadratic in a line's length (minutes for 200 kB).
 * The plain reporter paints whole lines, so each piece gets the line's colour.
 */
function breakLine(line: string, width: number): string[] {
  const painted = /^(\x1b\[[0-9;]*m)([^]*)\x1b\[0m$/.exec(line);
  const text = (painted ? painted[2] : line).replace(SGR, '');
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const ch of text) {
    const w = ch.charCodeAt(0) < 0x80 ? 1 : 2;
    if (used + w > width) {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += ch;
    used += w;
  }
  pieces.push(piece);
  return painted ? pieces.map((p) => `${painted[1]}${p}\x1b[0m`) : pieces;
}

/**
 * Finished lines keep their own length, as the plain reporter prints them:
 * the terminal wraps a long failure or recap line softly, so it copies as one
 * line. ink would hard-wrap at the terminal's width, so the chunk gets a box
 * as wide as its widest line.
 */
function chunk(text: string, columns: number): Chunk {
  const lines = text.split('\n');
  const limit = Math.max(columns, Math.floor(CELL_BUDGET / lines.length));
  let width = 1;
  let broken = false;
  const out: string[] = [];
  for (const line of lines) {
    const w = columnsOf(line.replace(SGR, ''));
    if (w > limit) {
      out.push(...breakLine(line, limit));
      broken = true;
      width = limit;
    } else {
      out.push(line);
      width = Math.max(width, w);
    }
  }
  return { text: broken ? out.join('\n') : text, width };
}

export function createInkReporter(opts: InkReporterOptions): InkReporter {
  const stdout = sized(opts.stdout ?? process.stdout);
  const color = opts.color ?? !process.env.NO_COLOR;
  const paint = painter(color);

  // Output not yet handed to <Static>; flushed once per frame.
  let buffer = '';
  const write = (s: string) => {
    buffer += s;
    dirty = true;
  };
  // The diff is printed here, coloured, so the plain reporter runs without it.
  const plain = plainReporter({ write, verbosity: opts.verbosity, diff: false, color });

  let chunks: Chunk[] = [];
  let play: string | undefined;
  let task: Frame['task'];
  // The hosts still in the play, for a task_start that does not list its own.
  let alive = new Set<string>();
  const pending = new Map<string, PendingHost>();
  let finished = false;
  let dirty = true;
  let tick = 0;

  const reporter: Reporter = (e: RunEvent) => {
    if (e.type === 'host_result' && (e.showDiff ?? opts.diff) && e.diff?.length && !e.noLog) {
      for (const d of e.diff) write(colorDiff(visibleText(unifiedDiff(d)), paint) + '\n');
    }
    plain(e);
    const now = Date.now();
    switch (e.type) {
      case 'play_start':
        play = e.name;
        alive = new Set(e.hosts);
        task = undefined;
        pending.clear();
        break;
      case 'task_start':
        task = { name: e.name, kind: e.kind, since: now, total: 0 };
        pending.clear();
        for (const h of e.hosts ?? (e.kind === 'handler' ? [] : alive)) pending.set(h, { host: h, since: now });
        task.total = pending.size;
        break;
      case 'host_result': {
        alive.add(e.host);
        const p = pending.get(e.host);
        if (e.item !== undefined && !e.loopSummary) {
          if (p) {
            p.item = e.item;
            if (e.loop) p.loop = `${e.loop.index}/${e.loop.length}`;
          }
          break;
        }
        pending.delete(e.host);
        if ((e.status === 'failed' && !e.ignored) || e.status === 'unreachable') alive.delete(e.host);
        break;
      }
      case 'log': {
        // A traced command (lib/output/trace.ts): what the host is running now.
        const p = pending.get(e.host);
        if (p && e.verbosity === 3 && e.message.startsWith('EXEC ')) p.command = commandSummary(e.message.slice(5));
        break;
      }
      case 'retrying': {
        const p = pending.get(e.host);
        if (p) p.retry = `${e.attempt}/${e.retries}`;
        break;
      }
      case 'no_more_hosts':
      case 'recap':
        task = undefined;
        pending.clear();
        break;
      case 'run_end':
        finished = true;
        task = undefined;
        pending.clear();
        break;
    }
    dirty = true;
  };

  const frame = (): Frame => {
    if (buffer) {
      // A new array, so <Static> sees the new item; each chunk is rendered once.
      chunks = [...chunks, chunk(buffer.endsWith('\n') ? buffer.slice(0, -1) : buffer, stdout.columns)];
      buffer = '';
    }
    return { chunks, play, task, pending: [...pending.values()], now: Date.now(), tick, finished, rows: stdout.rows || 24, color };
  };

  let instance: Instance | undefined;
  let draw: ((f: Frame) => void) | undefined;
  let failedToLoad = false;

  const loading = (async () => {
    const [{ render }, { createElement }, { View }] = await Promise.all([import('ink'), import('react'), import('./view.js')]);
    const element = (f: Frame) => createElement(View, { frame: f });
    instance = render(element(frame()), { stdout, exitOnCtrlC: false, maxFps: 1000 / FRAME_MS });
    draw = (f) => instance!.rerender(element(f));
    dirty = false;
  })().catch((err: unknown) => {
    // Without ink the run still deserves its output: fall back to plain lines.
    failedToLoad = true;
    stdout.write(`[WARNING]: terminal UI unavailable (${(err as Error)?.message ?? err}); using plain output\n`);
  });

  const timer = setInterval(() => {
    if (failedToLoad) {
      if (buffer) stdout.write(buffer);
      buffer = '';
      return;
    }
    if (!draw) return;
    // Redraw for new output, or to move the spinner while something is waiting.
    if (!dirty && !task) return;
    tick++;
    dirty = false;
    draw(frame());
  }, FRAME_MS);
  // The run keeps the process alive; the animation alone must not.
  timer.unref();

  return {
    reporter,
    interrupt() {
      finished = true;
      task = undefined;
      pending.clear();
      clearInterval(timer);
      // Erase the live region now: the interruption message must not land inside it.
      instance?.clear();
    },
    async done() {
      await loading;
      clearInterval(timer);
      finished = true;
      task = undefined;
      pending.clear();
      if (failedToLoad || !instance) {
        if (buffer) stdout.write(buffer);
        buffer = '';
        return;
      }
      draw!(frame());
      const exited = instance.waitUntilExit();
      instance.unmount();
      await exited;
    },
  };
}
