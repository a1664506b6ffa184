/**
 * Ansible's default output layout, line for line where it matters to people
 * and scripts: PLAY [..], TASK [..], ok/changed/fatal lines, PLAY RECAP.
 * Every line is made visible (visible-text.ts) before it is painted: host
 * data never steers the terminal.
 */
import type { HostStats, Reporter, RunEvent } from './events.js';
import { unifiedDiff } from './diff-text.js';
import { visibleText } from './visible-text.js';

export interface PlainOptions {
  write: (s: string) => void;
  verbosity: number;
  diff: boolean;
  color: boolean;
}

/** Ansible's colours: SGR numbers per status, as its default callback paints them. */
export const COLORS = { ok: 32, changed: 33, failed: 31, unreachable: 31, skipped: 36, warning: 35, rescued: 35, ignored: 36 } as const;

export type Color = keyof typeof COLORS;
export type Paint = (color: Color, s: string) => string;

export function painter(color: boolean): Paint {
  return (c, s) => (color ? `\x1b[0;${COLORS[c]}m${s}\x1b[0m` : s);
}

function banner(title: string): string {
  return `${title} ${'*'.repeat(Math.max(3, 79 - title.length))}`;
}

/**
 * Ansible's callback dumps results with sort_keys=True, at every depth. The
 * keys are written in that order by hand: an object rebuilt from sorted keys
 * would put integer-like keys first again ('1', '2', '10' where Python sorts
 * '1', '10', '2').
 */
function dumpSorted(v: unknown, indent: string, depth: number): string | undefined {
  const value = v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const pad = indent ? '\n' + indent.repeat(depth + 1) : '';
  const end = indent ? '\n' + indent.repeat(depth) : '';
  const sep = indent ? ',' : ', ';
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[${pad}${value.map((x) => dumpSorted(x, indent, depth + 1) ?? 'null').join(sep + pad)}${end}]`;
  }
  const parts: string[] = [];
  for (const k of Object.keys(value).sort()) {
    const x = dumpSorted((value as Record<string, unknown>)[k], indent, depth + 1);
    if (x !== undefined) parts.push(`${JSON.stringify(k)}: ${x}`);
  }
  return parts.length ? `{${pad}${parts.join(sep + pad)}${end}}` : '{}';
}

/** JSON with keys sorted as Python sorts them, at every depth; `indent` per level ('' for one line). */
export function sortedJson(v: unknown, indent: string): string {
  return dumpSorted(v, indent, 0) ?? 'null';
}

/** Ansible prints JSON with 4-space indents and sorted keys. */
function json(v: unknown): string {
  return dumpSorted(v, '    ', 0) ?? 'null';
}

/** One-line JSON with Python's separators (", " and ": ") and sorted keys, as Ansible prints failures. */
export function pyJson(v: unknown): string {
  return dumpSorted(v, '', 0) ?? 'null';
}

/** Keys debug keeps when it has a `msg` (Ansible's _DEBUG_ALLOWED_KEYS); with `var`, it hides these instead. */
const DEBUG_ALLOWED = new Set(['msg', 'exception', 'warnings', 'deprecations']);
const DEBUG_HIDDEN = new Set(['changed', 'failed', 'skipped', 'invocation', 'skip_reason']);

/**
 * The keys Ansible strips before showing a result: internal `_ansible*` keys
 * and the boolean `failed` (the line already says FAILED), a module's
 * `warnings` and `deprecations` (shown as [WARNING] lines), and below -vvv
 * its `diff` (--diff shows it as a patch). Debug output is cleaned as
 * Ansible's _clean_results does: a message shows alone.
 */
export function visible(result: Record<string, unknown>, action: string, verbosity = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const isDebug = action === 'debug';
  const hasMsg = 'msg' in result;
  for (const [k, v] of Object.entries(result)) {
    if (k.startsWith('_ansible') || (k === 'failed' && typeof v === 'boolean') || (k === 'diff' && verbosity < 3)) continue;
    // Shown as [WARNING] lines already, as Ansible's callback shows and drops them (not debug's own).
    if (!isDebug && (k === 'warnings' || k === 'deprecations')) continue;
    if (isDebug && (hasMsg ? !DEBUG_ALLOWED.has(k) : DEBUG_HIDDEN.has(k))) continue;
    out[k] = v;
  }
  return out;
}

export function plainReporter(opts: PlainOptions): Reporter {
  const painted = painter(opts.color);
  // The text is made visible first, then painted: only tsplay's own colours reach the terminal raw.
  const paint: Paint = (c, text) => painted(c, visibleText(text));
  const out = (s: string) => opts.write(s + '\n');
  const plainOut = (s: string) => out(visibleText(s));
  // The module of the task whose results follow: debug output is cleaned differently.
  let action = '';
  return (e: RunEvent) => {
    switch (e.type) {
      case 'play_start':
        plainOut(`\n${banner(`PLAY [${e.name}]`)}`);
        break;
      case 'no_hosts_matched':
        out(paint('skipped', 'skipping: no hosts matched'));
        break;
      case 'task_start':
        action = e.module;
        plainOut(`\n${banner(`${e.kind === 'handler' ? 'RUNNING HANDLER' : 'TASK'} [${e.name}]`)}`);
        if (opts.verbosity >= 2 && e.pos) plainOut(`task path: ${e.pos.file}:${e.pos.line}`);
        break;
      case 'included':
        out(paint('skipped', `included: ${e.file} for ${e.hosts.join(', ')}${e.item !== undefined ? ` => (item=${e.item})` : ''}`));
        break;
      case 'retrying':
        out(paint('failed', `FAILED - RETRYING: [${e.host}]: ${e.task} (${e.retries - e.attempt} retries left).`));
        break;
      case 'warning':
        out(paint('warning', `[WARNING]: ${e.message}`));
        break;
      case 'log':
        // -vvv's connection and command lines read as Ansible's: "<host> EXEC ...".
        if (opts.verbosity >= (e.verbosity ?? 1)) plainOut((e.verbosity ?? 1) >= 3 ? `<${e.host}> ${e.message}` : `[${e.host}] ${e.message}`);
        break;
      case 'no_more_hosts':
        out(`\n${banner('NO MORE HOSTS LEFT')}`);
        break;
      case 'host_result':
        hostLine(e);
        break;
      case 'recap':
        out(`\n${banner('PLAY RECAP')}`);
        for (const [host, s] of Object.entries(e.stats)) out(recapLine(host, s, painted));
        out('');
        break;
    }
  };

  function hostLine(e: Extract<RunEvent, { type: 'host_result' }>): void {
    if ((e.showDiff ?? opts.diff) && e.diff && !e.noLog) for (const d of e.diff) plainOut(unifiedDiff(d));
    const target = e.delegatedTo ? `${e.host} -> ${e.delegatedTo}` : e.host;
    const item = e.item !== undefined ? ` => (item=${e.item})` : '';
    // A no_log result arrives already censored (lib/output/censor.ts).
    const result = visible(e.result, e.module ?? action, opts.verbosity);
    // Ansible indents a result when the module asks to be shown (debug) or at -vvv; otherwise one line.
    const dump = () => (e.result._ansible_verbose_always || opts.verbosity > 2 ? json(result) : pyJson(result));
    switch (e.status) {
      case 'ok':
      case 'changed': {
        const show = (e.verbose || opts.verbosity > 0) && !e.loopSummary;
        if (e.loopSummary && !opts.verbosity) return;
        out(paint(e.status, `${e.status}: [${target}]${item}${show ? ` => ${dump()}` : ''}`));
        break;
      }
      case 'skipped':
        // Ansible's item line ends with a space: "skipping: [h] => (item=x) ".
        out(paint('skipped', `skipping: [${target}]${item}${e.item !== undefined ? ' ' : ''}${opts.verbosity > 0 ? ` => ${dump()}` : ''}`));
        break;
      case 'failed':
        if (typeof result.exception === 'string' && opts.verbosity < 3) {
          // A module that raised: Ansible says so on a line of its own and leaves the exception out of the result.
          out(paint('failed', `An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${result.exception.trim().split('\n').pop()}`));
          delete result.exception;
        }
        if (e.loopSummary && e.item === undefined) {
          // The failed items were already shown; Ansible prints no line for the loop as a whole.
        } else if (e.item !== undefined) {
          out(paint('failed', `failed: [${target}] (item=${e.item}) => ${dump()}`));
        } else {
          out(paint('failed', `fatal: [${target}]: FAILED! => ${dump()}`));
        }
        if (e.ignored) out(paint('skipped', '...ignoring'));
        break;
      case 'unreachable':
        out(paint('unreachable', `fatal: [${target}]: UNREACHABLE! => ${pyJson(result)}`));
        break;
    }
  }
}

export function recapLine(host: string, s: HostStats, paint: Paint = (_c, x) => x): string {
  const color = s.failed || s.unreachable ? 'failed' : s.changed ? 'changed' : 'ok';
  const field = (name: string, n: number, c: Color) => {
    // Ansible's "%s=%-4s".
    const text = `${name}=${String(n).padEnd(4)}`;
    return n ? paint(c, text) : text;
  };
  return (
    `${paint(color, visibleText(host, { oneLine: true }).padEnd(26))} : ` +
    [
      field('ok', s.ok, 'ok'),
      field('changed', s.changed, 'changed'),
      field('unreachable', s.unreachable, 'unreachable'),
      field('failed', s.failed, 'failed'),
      field('skipped', s.skipped, 'skipped'),
      field('rescued', s.rescued, 'rescued'),
      field('ignored', s.ignored, 'ignored'),
    ].join(' ')
  );
}
