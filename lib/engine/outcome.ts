/**
 * The one path from what happened in a task to its result: a module's
 * answer, a failed plan, or a thrown error. Expected failures (ModuleError,
 * a command's exit code, a file error, a user's mistake) read as the
 * module's own message; anything else is a bug in the module and says so.
 */
import { CommandError, FileError, UnreachableError } from '../connection/types.js';
import { isTsplayError, type SourcePos, type TsplayError } from '../errors.js';
import { ModuleError } from '../module/define.js';
import type { FileDiff } from '../output/diff-text.js';
import type { HostStatus } from '../output/events.js';
import { unreachableMessage } from './local-hint.js';

/** One attempt's outcome: status, the registered result, and the typed extras the output shows. */
export interface ModuleOutcome {
  status: HostStatus;
  result: Record<string, unknown>;
  /** What changed, or would change, in files (--diff). */
  diff?: FileDiff[];
  /** The host the task actually ran on (delegate_to). */
  delegatedTo?: string;
}

export function describePos(pos?: SourcePos): string {
  return pos ? `${pos.file}:${pos.line}:${pos.col}` : '';
}

/** A user error as a task's failure message: what, where (file:line:col), and what to do; Ansible's own text alone where playbooks compare it (a lookup's failure). */
export function failureMessage(e: TsplayError, fallback?: SourcePos): string {
  if (e.asWritten) return e.message;
  const where = describePos(e.pos ?? fallback);
  const hint = e.hint ? ` ${e.hint[0].toUpperCase()}${e.hint.slice(1)}${/[.!?]$/.test(e.hint) ? '' : '.'}` : '';
  return `${e.message}${where ? ` (in ${where})` : ''}.${hint}`;
}

export interface ErrorContext {
  /** The task's position, for errors that have none. */
  pos?: SourcePos;
  verbosity?: number;
  /** The module that was running, and where it was loaded from. */
  module?: { name: string; file?: string };
}

/** A thrown error as a task result. */
export function errorOutcome(e: unknown, c: ErrorContext = {}): ModuleOutcome {
  if (e instanceof UnreachableError) {
    return { status: 'unreachable', result: { changed: false, unreachable: true, msg: unreachableMessage(e) } };
  }
  if (e instanceof ModuleError) {
    // A result that says `msg: undefined` (or `changed: undefined`) leaves the key out, as some of Ansible's action plugins do.
    const result: Record<string, unknown> = { changed: false, ...e.result, msg: e.message };
    for (const k of ['msg', 'changed']) if (e.result && Object.hasOwn(e.result, k) && e.result[k] === undefined) delete result[k];
    return { status: 'failed', result };
  }
  if (e instanceof CommandError) {
    return { status: 'failed', result: { changed: false, rc: e.rc, stdout: e.stdout, stderr: e.stderr, msg: e.message } };
  }
  if (e instanceof FileError) {
    return { status: 'failed', result: { changed: false, path: e.path, msg: e.message } };
  }
  if (isTsplayError(e)) {
    return { status: 'failed', result: { changed: false, msg: failureMessage(e, c.pos) } };
  }
  const err = e as Error;
  const where = c.module ? ` in module '${c.module.name}'${c.module.file ? ` (${c.module.file})` : ''}` : '';
  return {
    status: 'failed',
    result: {
      changed: false,
      msg: c.module ? `MODULE FAILURE${where}: ${err?.message ?? String(e)}` : String(err?.message ?? e),
      ...((c.verbosity ?? 0) >= 3 && err?.stack ? { exception: err.stack } : {}),
    },
  };
}
