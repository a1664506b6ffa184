/** Shared by command and shell: creates/removes, the run itself, and Ansible's result keys. */
import { outputLimit } from '../connection/output-cap.js';
import { shellQuote } from '../connection/quote.js';
import { LINE_BREAKS } from '../formats/lines.js';
import type { ApplyContext, ModuleContext, Plan } from './define.js';

export interface CommandArgs {
  creates?: string;
  removes?: string;
  chdir?: string;
  stdin?: string;
  stdin_add_newline: boolean;
  strip_empty_ends: boolean;
}

/** Ansible's rule: `creates` present or `removes` absent means the command would change nothing. */
export async function planCommand(args: CommandArgs, ctx: ModuleContext, display: unknown): Promise<Plan> {
  const test = async (pattern: string) => {
    const r = await ctx.host.run(`for f in ${globWords(pattern)}; do [ -e "$f" ] && exit 0; done; exit 1`, {
      allowFailure: true,
      cwd: args.chdir,
    });
    return r.rc === 0;
  };
  if (args.creates && (await test(args.creates))) return notRun(display, `${ctx.check ? 'Would' : 'Did'} not run command since '${args.creates}' exists`, `skipped, since ${args.creates} exists`);
  if (args.removes && !(await test(args.removes))) return notRun(display, `${ctx.check ? 'Would' : 'Did'} not run command since '${args.removes}' does not exist`, `skipped, since ${args.removes} does not exist`);
  if (ctx.check) {
    // Ansible's command in check mode: with creates/removes it reports the change it would make;
    // without them it cannot know, and the task is skipped. Either way the registered result has rc 0 and empty output.
    const msg = 'Command would have run if not in check mode';
    const result = { cmd: display, rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], msg };
    if (args.creates || args.removes) return { changed: true, msg, result };
    return { changed: false, skipped: msg, result };
  }
  return { changed: true, result: { cmd: display } };
}

/** Ansible's failure for a command line that is missing or given twice: rc 256 and the empty result, before anything runs. */
export function noCommandResult(msg: string): Plan {
  return {
    changed: false,
    failed: msg,
    result: { cmd: null, rc: 256, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], start: null, end: null, delta: null, msg },
  };
}

/** A glob stays unquoted so the remote shell expands it; anything else is quoted. */
function globWords(pattern: string): string {
  return /[*?[]/.test(pattern) ? pattern.replace(/([^*?[\]A-Za-z0-9_\/.-])/g, '\\$1') : shellQuote(pattern);
}

function notRun(display: unknown, msg: string, stdout: string): Plan {
  return {
    changed: false,
    msg,
    result: { cmd: display, rc: 0, stdout, stderr: '', stdout_lines: [stdout], stderr_lines: [], msg },
  };
}

export async function runCommand(line: string, display: unknown, args: CommandArgs, ctx: ApplyContext) {
  const start = new Date();
  const stdin = args.stdin === undefined ? undefined : args.stdin + (args.stdin_add_newline ? '\n' : '');
  // The host handle carries the task's become, environment and timeout.
  // What a host prints is kept up to a limit (output-cap.ts), so an endless stdout cannot fill the controller's memory.
  const limit = outputLimit();
  const r = await ctx.host.run(line, {
    allowFailure: true,
    cwd: args.chdir,
    stdin,
    maxOutput: limit,
  });
  const end = new Date();
  // Ansible's rstrip("\r\n"): every trailing CR and LF, in any order.
  const strip = (s: string) => (args.strip_empty_ends ? s.replace(/[\r\n]+$/, '') : s);
  const stdout = strip(r.stdout);
  const stderr = strip(r.stderr);
  const result = {
    cmd: display,
    rc: r.rc,
    stdout,
    stderr,
    stdout_lines: pythonSplitlines(stdout),
    stderr_lines: pythonSplitlines(stderr),
    start: formatTime(start),
    end: formatTime(end),
    delta: formatDelta(end.getTime() - start.getTime()),
    msg: r.rc === 0 ? '' : 'non-zero return code',
    ...(r.truncated ? { truncated: r.truncated } : {}),
  };
  if (r.truncated) {
    const streams = (['stdout', 'stderr'] as const).filter((k) => r.truncated![k] > 0);
    ctx.warn(
      `task '${ctx.task.name}': ${streams.map((k) => `${k} was cut at ${limit} bytes (${r.truncated![k]} more bytes discarded)`).join(', ')}; ` +
        `set TSPLAY_OUTPUT_LIMIT (or --output-limit) to keep more, or redirect the output to a file on the host`,
    );
  }
  return { changed: true, failed: r.rc === 0 ? undefined : 'non-zero return code', msg: result.msg, result };
}

/** Python's str.splitlines(), which Ansible's `_lines` keys come from: every line break it knows, no empty last line. */
function pythonSplitlines(s: string): string[] {
  const lines = s.split(new RegExp(LINE_BREAKS.python.source));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function formatTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}

function formatDelta(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

export const commonCommandProperties = {
  chdir: { type: 'string', description: 'Change into this directory before running the command.' },
  creates: { type: 'string', description: 'A path or glob; when it exists, the command is not run.' },
  removes: { type: 'string', description: 'A path or glob; when it does not exist, the command is not run.' },
  stdin: { type: 'string', description: "Text written to the command's standard input." },
  stdin_add_newline: { type: 'boolean', default: true, description: 'Append a newline to stdin.' },
  strip_empty_ends: { type: 'boolean', default: true, description: 'Strip every trailing CR and LF from stdout and stderr.' },
} as const;
