/**
 * The contract every lookup plugin follows, as Ansible's LookupBase.run:
 * the terms (the positional arguments, listified) and the keyword options
 * in, a list out. Errors are TsplayErrors of kind 'template'; the caller
 * applies `errors=` and `wantlist`.
 */
import type { LexOptions } from '../jinja/lexer.js';
import { TsplayError } from '../../errors.js';
import type { Kwargs } from '../context.js';
import type { Vars } from '../values.js';

export interface LookupEnv {
  /** The variables the expression sees. */
  readonly vars: Vars;
  /** Directories searched for a relative file name, first wins. */
  readonly searchPath: readonly string[];
  /** The playbook's directory: where `pipe` runs and a relative `password` file lives. */
  readonly baseDir: string;
  /** Renders template text with the expression's variables (plus `extra`), as text. */
  /** `options`: the Jinja settings of a template file's `#jinja2:` header. */
  render(text: string, extra?: Record<string, unknown>, options?: Readonly<LexOptions>): string;
  /** A variable by name, rendered as an expression would see it; undefined when there is none. */
  variable(name: string): unknown;
  /** True in a --check run: lookups read the controller but change nothing on it. */
  readonly checkMode: boolean;
}

export type LookupPlugin = (terms: unknown[], kw: Kwargs, env: LookupEnv) => unknown[];

/** A failure the lookup itself detected (Ansible's AnsibleLookupError / AnsibleError in run()). */
export function lookupFailure(message: string, hint?: string): TsplayError {
  return new TsplayError('template', message, { ...(hint ? { hint } : {}), asWritten: true });
}

/** Failures Ansible raises as AnsibleLookupError: shown as they are, not as "An unhandled exception occurred ...". */
const lookupErrors = new WeakSet<TsplayError>();

/** A failure Ansible's plugin raises as AnsibleLookupError (a missing ini section, say): its message is the task's, unwrapped. */
export function lookupError(message: string, hint?: string): TsplayError {
  const e = lookupFailure(message, hint);
  lookupErrors.add(e);
  return e;
}

export function isLookupError(e: unknown): boolean {
  return e instanceof TsplayError && lookupErrors.has(e);
}

/** Ansible's boolean option conversion for lookup keywords. */
export function boolOption(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  return ['true', 'yes', 'on', '1', 'y', 't'].includes(String(v).toLowerCase());
}

/** Rejects keywords a plugin does not know, as Ansible's set_options does. */
export function onlyOptions(name: string, kw: Kwargs, known: readonly string[]): void {
  const bad = Object.keys(kw).filter((k) => !known.includes(k));
  if (bad.length) throw lookupFailure(`Invalid options for lookup '${name}': ${bad.join(', ')}`, known.length ? `the options of '${name}' are: ${known.join(', ')}` : `'${name}' takes no options`);
}
