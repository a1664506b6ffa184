/**
 * `tsplay adhoc`'s output, shaped as `ansible`'s: its minimal callback
 * (`host | CHANGED => {...}`, `host | CHANGED | rc=0 >>` and the output for
 * command and shell) or, with -o, its oneline callback. Warnings and diffs
 * as in a playbook run.
 */
import type { Reporter, RunEvent } from './events.js';
import { unifiedDiff } from './diff-text.js';
import { sortedJson, visible } from './plain.js';
import { visibleText } from './visible-text.js';

export interface AdhocOptions {
  write: (s: string) => void;
  /** -o: one line per host. */
  oneLine: boolean;
  diff: boolean;
}

/** Modules whose output Ansible shows as text, not JSON (C.MODULE_NO_JSON). */
const NO_JSON = new Set(['command', 'shell', 'raw', 'script']);

const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

export function adhocReporter(opts: AdhocOptions): Reporter {
  const out = (s: string) => opts.write(visibleText(s) + '\n');
  // Python's json.dumps(indent=4, sort_keys=True); -o: indent=0 with the newlines removed ({"a": 1,"b": 2}).
  // A raw newline is only ever formatting: those in strings are escaped.
  const json = (r: Record<string, unknown>) => (opts.oneLine ? sortedJson(r, ' ').replace(/\n */g, '') : sortedJson(r, '    '));
  const commandText = (host: string, r: Record<string, unknown>, caption: string) => {
    const rc = r.rc ?? -1;
    if (opts.oneLine) {
      const esc = (s: string) => s.replace(/\n/g, '\\n').replace(/\r/g, '\\r');
      const stderr = text(r.stderr);
      return `${host} | ${caption} | rc=${rc} | (stdout) ${esc(text(r.stdout))}${stderr ? ` (stderr) ${esc(stderr)}` : ''}`;
    }
    return `${host} | ${caption} | rc=${rc} >>\n${text(r.stdout)}${text(r.stderr)}${text(r.msg)}`;
  };
  let module = '';
  return (e: RunEvent) => {
    if (e.type === 'task_start') module = e.module;
    else if (e.type === 'warning') opts.write(`[WARNING]: ${visibleText(e.message)}\n`);
    else if (e.type === 'host_result' && !e.loopSummary) {
      if ((e.showDiff ?? opts.diff) && e.diff && !e.noLog) for (const d of e.diff) opts.write(visibleText(unifiedDiff(d)) + '\n');
      const r = visible(e.result, module);
      const host = e.host;
      if (typeof r.exception === 'string') {
        // Ansible's minimal callback says so before the result, and shows the result without it.
        const last = r.exception.trim().split('\n').pop();
        out(`An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${last}`);
        delete r.exception;
      }
      switch (e.status) {
        case 'ok':
        case 'changed': {
          const state = e.status === 'changed' ? 'CHANGED' : 'SUCCESS';
          out(NO_JSON.has(module) ? commandText(host, r, state) : `${host} | ${state} => ${json(r)}`);
          break;
        }
        case 'failed':
          // The oneline callback of 2.14 shows every failure as JSON, command's too.
          out(NO_JSON.has(module) && !opts.oneLine && !('module_stderr' in r) ? commandText(host, r, 'FAILED') : `${host} | FAILED! => ${json(r)}`);
          break;
        case 'skipped':
          out(`${host} | SKIPPED`);
          break;
        case 'unreachable':
          out(opts.oneLine ? `${host} | UNREACHABLE!: ${text(r.msg)}` : `${host} | UNREACHABLE! => ${json(r)}`);
          break;
      }
    }
  };
}
