/**
 * `lookup()`, `query()` and `q()` in expressions: Ansible 2.14's
 * Templar._lookup. The positional arguments are the terms, `wantlist`,
 * `errors` (strict|warn|ignore) and `allow_unsafe` are taken out of the
 * keywords and the rest go to the plugin. Without wantlist a list of strings
 * is joined with ',' and a one-item list gives its item. Results come from
 * the controller's files, commands and environment: they are data, never
 * rendered as templates again (lib/template/unsafe.ts), unless allow_unsafe.
 */
import type { LexOptions } from '../jinja/lexer.js';
import { join } from 'node:path';
import { TsplayError } from '../../errors.js';
import { knownLookups, provideOtherLookups } from './with-lookups.js';
import type { Ctx, Kwargs } from '../context.js';
import { extendVars, isUnsafeText, markUnsafe } from '../unsafe.js';
import { UndefinedVariableError, getProp, isAuthored, toStr, type Vars } from '../values.js';
import { configLookup } from './config.js';
import { csvfile } from './csvfile.js';
import { env } from './env.js';
import { file } from './file.js';
import { ini } from './ini.js';
import { lines } from './lines.js';
import { loopLookup } from './loops.js';
import { password } from './password.js';
import { pipe } from './pipe.js';
import { template } from './template.js';
import { boolOption, isLookupError, lookupFailure, type LookupEnv, type LookupPlugin } from './types.js';
import { unvault } from './unvault.js';
import { vars } from './vars.js';
import { varnames } from './varnames.js';
import { maskText } from '../../util/secrets.js';
import { taskVarFallback } from '../task-vars.js';

/**
 * What a lookup needs of the template engine: a variable's value as a
 * template reads it, and a template rendered. render.ts gives it when it
 * loads; importing the engine from here would be a loop (the engine calls
 * the lookups through functions.ts).
 */
export interface LookupTemplateEngine {
  value(v: unknown, name: string, ctx: Ctx, authored: boolean): unknown;
  render(text: string, vars: Vars, options?: Readonly<LexOptions>): string;
  /** An evaluation context over `vars`, for a `with_<lookup>` loop that runs one of these plugins. */
  context(vars: Vars): Ctx;
}

let engine: LookupTemplateEngine | undefined;

export function provideLookupTemplateEngine(e: LookupTemplateEngine): void {
  engine = e;
}

function templateEngine(): LookupTemplateEngine {
  if (!engine) throw new TsplayError('runtime', 'lookups are used before the template engine is loaded (import lib/template/index.js)');
  return engine;
}

const plugins: Record<string, LookupPlugin> = { config: configLookup, csvfile, env, file, ini, lines, password, pipe, template, unvault, varnames, vars };

/** The short name of `name` or `ansible.builtin.name`; another collection's name is kept whole (and found by no plugin). */
function shortName(name: string): string {
  return name.startsWith('ansible.builtin.') ? name.slice('ansible.builtin.'.length) : name;
}

function pluginFor(name: string): LookupPlugin | undefined {
  const short = shortName(name);
  if (short.includes('.')) return undefined;
  return Object.hasOwn(plugins, short) ? plugins[short] : loopLookup(short);
}

export function isKnownLookupName(name: string): boolean {
  return pluginFor(name) !== undefined;
}

export function notFound(name: string): TsplayError {
  return lookupFailure(`lookup plugin (${name}) not found`, `the lookups are: ${knownLookups().join(', ')}`);
}

/** Whether `with_<name>` names a lookup (this module registers its plugins first, so the answer covers them all). */
export { isKnownLookup as isWithLookup, knownLookups } from './with-lookups.js';

// `with_lines:` and the other `with_<lookup>` loops of these plugins: the items are `query(name, *terms)`.
provideOtherLookups({
  has: (name) => Object.hasOwn(plugins, name),
  names: () => Object.keys(plugins),
  // The loop rendered its terms once already, and Ansible renders a with_ loop's terms only once: no warning.
  run: (name, terms, vars) => callLookup(name, terms, {}, templateEngine().context(vars as Vars), true, false) as unknown[],
});

function lookupEnv(ctx: Ctx): LookupEnv {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const baseDir = str(getProp(ctx.vars, 'playbook_dir')) ?? process.cwd();
  return {
    vars: ctx.vars,
    baseDir,
    // In a role, the role's folder and its tasks/ (where Ansible's search meets the task's own file), then
    // the playbook's folder: the evaluation does not know which tasks file it serves (docs/differences.md).
    searchPath: typeof getProp(ctx.vars, 'role_path') === 'string' ? [getProp(ctx.vars, 'role_path') as string, join(getProp(ctx.vars, 'role_path') as string, 'tasks'), baseDir] : [baseDir],
    checkMode: getProp(ctx.vars, 'ansible_check_mode') === true,
    variable(name) {
      const v = getProp(ctx.vars, name);
      if (v === undefined) return taskVarFallback(name, ctx.vars);
      return templateEngine().value(v, name, ctx, isAuthored(ctx.vars, name));
    },
    render(text, extra, options) {
      const vars = extra && Object.keys(extra).length ? extendVars(ctx.vars, {}, extra) : ctx.vars;
      return templateEngine().render(text, vars, options);
    },
  };
}

/** A warning of the template layer (it has no reporter at hand), with every known secret masked: a term may hold one. */
function warn(message: string): void {
  process.stderr.write(`[WARNING]: ${maskText(message)}\n`);
}

/** Ansible's message for a lookup that failed, keeping the plugin's hint. */
function unhandled(name: string, e: unknown): TsplayError {
  if (isLookupError(e)) return e as TsplayError;
  const message = `An unhandled exception occurred while running the lookup plugin '${name}'. Error was: ${(e as Error).message}`;
  return new TsplayError('template', message, { ...(e instanceof TsplayError && e.hint ? { hint: e.hint } : {}), asWritten: true });
}

/**
 * Ansible renders each term once more before the plugin sees it
 * (listify_lookup_plugin_terms), so a term built from a host's output could
 * run as a template (a `pipe` command the host wrote). tsplay passes terms
 * as they are, and warns where Ansible would have rendered one.
 */
function warnTemplatedTerm(term: unknown, name: string): void {
  if (typeof term !== 'string' || !(term.includes('{{') || term.includes('{%')) || isUnsafeText(term)) return;
  warn(`the term '${term}' of lookup '${name}' holds template syntax: Ansible would render it once more, tsplay passes it as written. Build the term with ~ instead ('echo ' ~ x).`);
}

/** A result without wantlist: text items joined with ',', else a one-item list's item, else the list. */
function joined(ran: unknown[]): unknown {
  if (ran.every((x) => typeof x === 'string')) return ran.join(',');
  return ran.length === 1 ? ran[0] : ran;
}

/** `lookup(name, *terms, **kw)`; `query`/`q` pass wantlist. */
export function callLookup(name: unknown, terms: unknown[], kw: Kwargs, ctx: Ctx, forceList: boolean, warnTemplated = true): unknown {
  if (typeof name !== 'string') throw lookupFailure(`lookup() takes the plugin's name first, as a string, not ${toStr(name)}`);
  const { wantlist, errors = 'strict', allow_unsafe, ...options } = kw;
  const asList = forceList || boolOption(wantlist, false);
  if (!['strict', 'warn', 'ignore'].includes(String(errors))) throw lookupFailure(`errors= must be strict, warn or ignore, not ${toStr(errors)}`);
  const plugin = pluginFor(name);
  if (!plugin) throw notFound(name);
  const env = lookupEnv(ctx);
  let ran: unknown[];
  try {
    if (warnTemplated) for (const term of terms) warnTemplatedTerm(term, name);
    ran = plugin(terms, options, env);
  } catch (e) {
    // An undefined variable is never an error the lookup may ignore, as in Ansible.
    if (e instanceof UndefinedVariableError) throw e;
    const failure = unhandled(shortName(name), e);
    if (errors === 'strict') throw failure;
    if (errors === 'warn') warn(failure.message);
    return asList ? [] : null;
  }
  if (!ran.length || boolOption(allow_unsafe, false)) return ran;
  return markUnsafe(asList ? ran : joined(ran));
}
