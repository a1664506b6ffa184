/**
 * Every error a user can cause is a TsplayError: it carries the exit code
 * ansible-playbook would return and, where known, the source position. The
 * CLI's single handler (lib/cli/main.ts) turns it into one paragraph.
 */
export interface SourcePos {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

/** Exit codes as ansible-playbook 2.14 really returns them. */
export const ExitCode = {
  ok: 0,
  error: 1, // e.g. a missing playbook file
  hostFailed: 2, // a host failed; also a bad command-line option
  badOption: 2,
  unreachable: 4, // a host unreachable; also parse / validation errors
  parse: 4,
  interrupted: 99,
  unexpected: 250,
} as const;

export type ErrorKind =
  | 'parse' // malformed YAML or INI
  | 'validation' // structure, unknown module or keyword, wrong argument
  | 'template' // undefined variable, bad expression
  | 'option' // bad command-line option
  | 'missing-file'
  | 'connection'
  | 'runtime';

const defaultExit: Record<ErrorKind, number> = {
  parse: ExitCode.parse,
  validation: ExitCode.parse,
  template: ExitCode.parse,
  option: ExitCode.badOption,
  'missing-file': ExitCode.error,
  connection: ExitCode.unreachable,
  runtime: ExitCode.error,
};

export interface TsplayErrorOptions {
  pos?: SourcePos;
  /** What the user should do about it. */
  hint?: string;
  exitCode?: number;
  cause?: unknown;
  /**
   * The message is Ansible's own for a task's failure (a lookup's error):
   * the task's `msg` is exactly it, with no position or hint appended, since
   * playbooks compare `ansible_failed_result.msg` with Ansible's text.
   */
  asWritten?: boolean;
}

export class TsplayError extends Error {
  readonly kind: ErrorKind;
  readonly pos?: SourcePos;
  readonly hint?: string;
  readonly exitCode: number;
  readonly asWritten: boolean;

  constructor(kind: ErrorKind, message: string, opts: TsplayErrorOptions = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'TsplayError';
    this.kind = kind;
    this.pos = opts.pos;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? defaultExit[kind];
    this.asWritten = opts.asWritten ?? false;
  }

  /** The same error, placed at a source position if it has none yet. */
  at(pos: SourcePos | undefined): TsplayError {
    if (this.pos || !pos) return this;
    return new TsplayError(this.kind, this.message, { pos, hint: this.hint, exitCode: this.exitCode, cause: this.cause, asWritten: this.asWritten });
  }
}

export function isTsplayError(e: unknown): e is TsplayError {
  return e instanceof TsplayError;
}
