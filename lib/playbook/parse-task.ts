/**
 * Turns one raw task mapping into a Task, Block or IncludeTasks, the way
 * Ansible reads it: exactly one module key among the keywords, free-form
 * arguments split, `args:` merged, import_tasks inlined.
 */
import { varsMapping } from './vars-keyword.js';
import { dirname, join, resolve } from 'node:path';
import { TsplayError, type SourcePos } from '../errors.js';
import { checkLookupNames } from './lookup-names.js';
import { canonicalModuleName, type ModuleRegistry } from '../module/registry.js';
import { didYouMean } from '../suggest.js';
import { FREE_FORM_OPTION_KEYS, parseKeyValues } from '../util/free-form.js';
import { isWithKey, loopKeyword } from './loop-keyword.js';
import { blockKeywords, handlerIncludeKeywords, importKeywords, includeKeywords, includeRoleKeywords, taskKeywords, unsupportedKeywords } from './keywords.js';
import { roleBlock, roleOptions, type RoleLoadContext } from './roles.js';
import { parseModuleDefaults } from './module-defaults.js';
import type { Block, IncludeRole, IncludeTasks, RoleFrame, Task, TaskCommon, TaskNode } from './types.js';
import { requireMapping, validateKeywords } from './validate.js';
import { keyPos, loadYamlFile, posOf, renameKey, valuePos } from './yaml-source.js';

export interface ParseContext {
  file: string;
  registry: ModuleRegistry;
  /** Files being imported, to refuse import cycles. */
  importStack: string[];
  /** Parsing handlers: an include_tasks may carry `listen`. */
  handlers?: boolean;
  /** Loading roles for import_role (absent: import_role is refused where no play is known). */
  roles?: RoleLoadContext;
  /** The role whose files are being read. */
  frame?: RoleFrame;
}

/** Keywords that are actions in Ansible, written with their collection: `ansible.builtin.include_tasks` is `include_tasks`. */
const QUALIFIED_KEYWORDS = ['include_tasks', 'import_tasks', 'include_role', 'import_role', 'import_playbook'];
const QUALIFIERS = ['ansible.builtin.', 'ansible.legacy.'];

/** Renames them in place; returns the action as written (`ansible.builtin.include_tasks`), which Ansible's banner shows for a task without a name. */
export function shortenQualifiedKeywords(obj: Record<string, unknown>): string | undefined {
  let written: string | undefined;
  for (const k of Object.keys(obj)) {
    const q = QUALIFIERS.find((p) => k.startsWith(p));
    if (q && QUALIFIED_KEYWORDS.includes(k.slice(q.length)) && !(k.slice(q.length) in obj)) {
      renameKey(obj, k, k.slice(q.length));
      written = k;
    }
  }
  return written;
}

export async function parseTaskList(raw: unknown, ctx: ParseContext, what: string, pos?: SourcePos): Promise<TaskNode[]> {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) {
    throw new TsplayError('validation', `${what} must be a list of tasks`, { pos: posOf(raw) ?? pos, hint: 'start each task with "- "' });
  }
  const out: TaskNode[] = [];
  for (const item of raw) out.push(await parseTask(item, ctx, posOf(raw) ?? pos));
  return out;
}

/** A block's `notify` goes to each task inside that has none of its own, as Ansible's keyword inheritance. */
function inheritNotify(nodes: TaskNode[], names: string[]): void {
  if (!names.length) return;
  for (const n of nodes) {
    if (n.kind === 'task') {
      if (!n.notify.length) n.notify = [...names];
    } else if (n.kind === 'block') inheritNotify([...n.block, ...n.rescue, ...n.always], names);
  }
}

export function toList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function toTags(v: unknown): string[] {
  return toList(v).flatMap((t) => String(t).split(',')).map((t) => t.trim()).filter(Boolean);
}

/**
 * A task's or play's name as ansible-playbook 2.14 shows it: a string; null
 * or another scalar (12, true) loads, and the banner shows the action (the
 * play's hosts) as when no name is given.
 */
export function nameText(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function common(obj: Record<string, unknown>, pos: SourcePos): TaskCommon {
  return {
    name: nameText(obj.name),
    when: toList(obj.when),
    tags: toTags(obj.tags),
    vars: varsMapping(obj.vars),
    become: obj.become,
    becomeUser: obj.become_user as string | undefined,
    becomeMethod: obj.become_method as string | undefined,
    ignoreErrors: obj.ignore_errors,
    ignoreUnreachable: obj.ignore_unreachable,
    anyErrorsFatal: obj.any_errors_fatal,
    checkMode: obj.check_mode,
    diff: obj.diff,
    noLog: obj.no_log,
    runOnce: obj.run_once,
    delegateTo: obj.delegate_to as string | undefined,
    delegateFacts: obj.delegate_facts,
    timeout: obj.timeout,
    environment: obj.environment as TaskCommon['environment'],
    moduleDefaults: parseModuleDefaults(obj.module_defaults, keyPos(obj, 'module_defaults') ?? pos),
    pos,
  };
}

function rejectUnsupported(obj: Record<string, unknown>): void {
  for (const k of Object.keys(obj)) {
    if (k in unsupportedKeywords) {
      throw new TsplayError('validation', `'${k}' is not supported: ${unsupportedKeywords[k]}`, { pos: keyPos(obj, k) });
    }
  }
}

function rejectUnknown(obj: Record<string, unknown>, allowed: Record<string, object>, what: string, loops = false): void {
  for (const k of Object.keys(obj)) {
    if (!(k in allowed) && !(loops && isWithKey(k))) {
      throw new TsplayError('validation', `'${k}' is not a valid keyword for ${what}.${didYouMean(k, Object.keys(allowed))}`, {
        pos: keyPos(obj, k),
        hint: `remove it, or move it into a task`,
      });
    }
  }
}

export async function parseTask(raw: unknown, ctx: ParseContext, parentPos?: SourcePos): Promise<TaskNode> {
  const obj = requireMapping(raw, 'a task', parentPos);
  const pos = posOf(obj) ?? parentPos ?? { file: ctx.file, line: 1, col: 1 };
  const written = shortenQualifiedKeywords(obj);
  rejectUnsupported(obj);
  checkLookupNames(obj, pos);

  if ('block' in obj) {
    rejectUnknown(obj, blockKeywords, 'a block');
    validateKeywords(obj, blockKeywords, 'block');
    const block: Block = {
      kind: 'block',
      ...common(obj, pos),
      block: await parseTaskList(obj.block, ctx, "a block's 'block'", pos),
      rescue: await parseTaskList(obj.rescue, ctx, "a block's 'rescue'", pos),
      always: await parseTaskList(obj.always, ctx, "a block's 'always'", pos),
    };
    inheritNotify([...block.block, ...block.rescue, ...block.always], toList(obj.notify).map(String));
    return block;
  }
  if ('rescue' in obj || 'always' in obj) {
    const k = 'rescue' in obj ? 'rescue' : 'always';
    throw new TsplayError('validation', `'${k}' is only valid together with 'block'`, { pos: keyPos(obj, k), hint: "put the tasks under a 'block:' first" });
  }
  if ('import_tasks' in obj) return parseImportTasks(obj, ctx, pos);
  if ('import_role' in obj) return parseImportRole(obj, ctx, pos);
  if ('include_role' in obj) return { ...parseIncludeRole(obj, ctx, pos), ...(written ? { action: written } : {}) };
  if ('include_tasks' in obj) {
    const keywords = ctx.handlers ? handlerIncludeKeywords : includeKeywords;
    rejectUnknown(obj, keywords, 'include_tasks', true);
    validateKeywords(obj, keywords, 'include_tasks');
    const spec = obj.include_tasks;
    const loop = loopKeyword(obj);
    const include: IncludeTasks = {
      kind: 'include_tasks',
      ...common(obj, pos),
      ...(written ? { action: written } : {}),
      file: typeof spec === 'string' ? spec : String((spec as { file: string }).file),
      apply: includeApply(spec, pos),
      // In a role's handlers, as in its tasks, Ansible finds the file in the role's tasks/.
      baseDir: ctx.handlers && ctx.frame ? join(ctx.frame.role.path, 'tasks') : dirname(ctx.file),
      loop: loop.loop,
      loopWith: loop.loopWith,
      loopVar: ((obj.loop_control as Record<string, unknown>)?.loop_var as string) ?? 'item',
      loopLabel: (obj.loop_control as Record<string, unknown>)?.label as string | undefined,
      indexVar: (obj.loop_control as Record<string, unknown>)?.index_var as string | undefined,
    };
    if (ctx.handlers) include.listen = toList(obj.listen).map(String);
    return include;
  }
  return parseModuleTask(obj, ctx, pos);
}

async function parseImportTasks(obj: Record<string, unknown>, ctx: ParseContext, pos: SourcePos): Promise<Block> {
  rejectUnknown(obj, importKeywords, 'import_tasks', true);
  validateKeywords(obj, importKeywords, 'import_tasks');
  const loopKey = loopKeyword(obj).key;
  if (loopKey) {
    throw new TsplayError('validation', 'import_tasks cannot loop: it is read before the play runs', {
      pos: keyPos(obj, loopKey),
      hint: 'use include_tasks to loop over a tasks file',
    });
  }
  const rel = String(obj.import_tasks);
  if (rel.includes('{{')) {
    throw new TsplayError('validation', `import_tasks needs a plain file name, not a template: ${rel}`, {
      pos: keyPos(obj, 'import_tasks'),
      hint: 'use include_tasks for a file name that depends on variables',
    });
  }
  const file = resolve(dirname(ctx.file), rel);
  if (ctx.importStack.includes(file)) {
    throw new TsplayError('validation', `import_tasks loop: ${[...ctx.importStack, file].join(' -> ')}`, { pos });
  }
  const raw = loadYamlFile(file, 'tasks file', `check the path in import_tasks (relative to ${dirname(ctx.file)})`);
  const sub: ParseContext = { ...ctx, file, importStack: [...ctx.importStack, file] };
  // An import is static: its tasks take the import's keywords, like a block without rescue.
  const block: Block = { kind: 'block', ...common(obj, pos), name: undefined, importedFrom: file, block: await parseTaskList(raw, sub, `tasks file ${file}`), rescue: [], always: [] };
  inheritNotify(block.block, toList(obj.notify).map(String));
  return block;
}

function roleKeywordsCheck(obj: Record<string, unknown>, what: 'import_role' | 'include_role'): void {
  for (const k of Object.keys(obj)) {
    if ((k === 'include_role' || k === 'import_role') && k !== what) {
      throw new TsplayError('validation', `conflicting action statements: ${what}, ${k}`, { pos: keyPos(obj, k), hint: 'a task runs exactly one action: split it into two tasks' });
    }
  }
  rejectUnknown(obj, includeRoleKeywords, what, what === 'include_role');
  validateKeywords(obj, includeRoleKeywords, what);
}

/** `include_role: common` or `include_role: {name: common, tasks_from: x}`; key=value in a string too. */
function roleSpec(obj: Record<string, unknown>, what: 'import_role' | 'include_role', pos: SourcePos): Record<string, unknown> {
  const raw = obj[what];
  const spec = typeof raw === 'string' ? (raw.includes('=') ? parseKeyValues(raw).args : { name: raw }) : raw;
  return roleOptions(spec, what, obj, what, pos);
}

const optString = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/** import_role: the role is read now and becomes a block, whose keywords its tasks inherit. */
async function parseImportRole(obj: Record<string, unknown>, ctx: ParseContext, pos: SourcePos): Promise<Block> {
  roleKeywordsCheck(obj, 'import_role');
  const loopKey = loopKeyword(obj).key;
  if (loopKey) throw new TsplayError('validation', 'import_role cannot loop: it is read before the play runs', { pos: keyPos(obj, loopKey), hint: 'use include_role to loop over a role' });
  const spec = roleSpec(obj, 'import_role', pos);
  for (const k of ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from']) {
    if (typeof spec[k] === 'string' && (spec[k] as string).includes('{{')) {
      throw new TsplayError('validation', `import_role needs a plain ${k}, not a template: ${spec[k] as string}`, { pos: keyPos(spec, k) ?? pos, hint: 'use include_role for a file name that depends on variables' });
    }
  }
  if (!ctx.roles) throw new TsplayError('validation', 'import_role is only read within a play', { pos });
  const c = common(obj, pos);
  const vars = c.vars;
  const handlersBefore = ctx.roles.handlers.length;
  const block = await roleBlock(
    {
      entry: { name: String(spec.name), keywords: { when: obj.when, tags: obj.tags }, params: {}, vars, pos },
      from: { tasks: optString(spec.tasks_from), vars: optString(spec.vars_from), defaults: optString(spec.defaults_from), handlers: optString(spec.handlers_from) },
      // import_role runs its role again unless told otherwise (its allow_duplicates defaults to true, as include_role's).
      allowDuplicates: spec.allow_duplicates === undefined ? true : spec.allow_duplicates !== false,
      parent: ctx.frame,
      // The import's vars are the role's include parameters (above set_fact), as in Ansible.
      common: { ...c, name: undefined, vars: {} },
      includeParams: vars,
    },
    ctx.roles,
    roleTasksParser(ctx),
  );
  if (!ctx.roles.playRoles.includes(block.role!.role)) ctx.roles.playRoles.push(block.role!.role);
  // An imported role's handlers come after the play's own, as Ansible appends them.
  ctx.roles.importedHandlers.push(...ctx.roles.handlers.splice(handlersBefore));
  return block;
}

/** The parser roles.ts uses for a role's files: same registry and roles, the role's frame. */
export function roleTasksParser(ctx: ParseContext) {
  return (raw: unknown, file: string, frame: RoleFrame, what: string, handlers = false) => parseTaskList(raw, { ...ctx, file, importStack: [file], frame, handlers }, what);
}

function parseIncludeRole(obj: Record<string, unknown>, ctx: ParseContext, pos: SourcePos): IncludeRole {
  roleKeywordsCheck(obj, 'include_role');
  const spec = roleSpec(obj, 'include_role', pos);
  const loop = loopKeyword(obj);
  const loopControl = (obj.loop_control as Record<string, unknown>) ?? {};
  let apply: TaskCommon | undefined;
  if (spec.apply !== undefined) {
    const a = requireMapping(spec.apply, "include_role's apply", pos);
    rejectUnknown(a, blockKeywords, "include_role's apply");
    validateKeywords(a, blockKeywords, 'block');
    apply = common(a, posOf(a) ?? pos);
  }
  return {
    kind: 'include_role',
    ...common(obj, pos),
    role: String(spec.name),
    tasksFrom: optString(spec.tasks_from),
    varsFrom: optString(spec.vars_from),
    defaultsFrom: optString(spec.defaults_from),
    handlersFrom: optString(spec.handlers_from),
    public: spec.public,
    allowDuplicates: spec.allow_duplicates === undefined ? true : spec.allow_duplicates !== false,
    apply,
    baseDir: dirname(ctx.file),
    parent: ctx.frame,
    loop: loop.loop,
    loopWith: loop.loopWith,
    loopVar: (loopControl.loop_var as string) ?? 'item',
    loopLabel: loopControl.label as string | undefined,
    indexVar: loopControl.index_var as string | undefined,
  };
}

/**
 * `action: slurp src=/etc/hostname` (or `action: {module: slurp, src: …}`) is
 * Ansible's older spelling of `slurp: src=/etc/hostname`: rewritten in place,
 * so the task keeps its positions.
 */
function actionToModule(obj: Record<string, unknown>, pos: SourcePos): string | undefined {
  if ('local_action' in obj) {
    if ('action' in obj) throw new TsplayError('validation', 'action and local_action are mutually exclusive', { pos: keyPos(obj, 'local_action') ?? pos, hint: 'keep one of them' });
    if ('delegate_to' in obj) throw new TsplayError('validation', 'delegate_to cannot be used with local_action', { pos: keyPos(obj, 'delegate_to') ?? pos, hint: 'local_action already runs on localhost: use action with delegate_to instead' });
    renameKey(obj, 'local_action', 'action');
    obj.delegate_to = 'localhost';
  }
  if (!('action' in obj)) return undefined;
  const action = obj.action;
  let name: string;
  let args: unknown;
  if (typeof action === 'string') {
    // The name may be a template with spaces inside (`{{ pkg_mgr }} name=x`), one word as Ansible's split_args keeps it.
    const m = /^\s*((?:\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\S)+)\s*([\s\S]*)$/.exec(action);
    if (!m) throw new TsplayError('validation', "'action' names no module", { pos: keyPos(obj, 'action') ?? pos, hint: "write e.g. 'action: debug msg=hello'" });
    [, name, args] = m;
    if (args === '') args = null;
  } else if (action && typeof action === 'object' && !Array.isArray(action) && typeof (action as Record<string, unknown>).module === 'string') {
    const { module, ...rest } = action as Record<string, unknown>;
    name = module as string;
    args = rest;
  } else {
    throw new TsplayError('validation', "'action' must be a module with its arguments", { pos: keyPos(obj, 'action') ?? pos, hint: "write e.g. 'action: debug msg=hello', or 'debug: msg=hello'" });
  }
  if (name in obj) throw new TsplayError('validation', `conflicting action statements: action, ${name}`, { pos: keyPos(obj, 'action') ?? pos, hint: 'a task runs exactly one module: split it into two tasks' });
  delete obj.action;
  obj[name] = args;
  return name;
}

/** `{{ pkg_mgr }}`: a module name Ansible renders when the task runs, with the host's variables. */
const isTemplate = (name: string) => /\{\{|\{%/.test(name);

async function parseModuleTask(obj: Record<string, unknown>, ctx: ParseContext, pos: SourcePos): Promise<Task> {
  const fromAction = actionToModule(obj, pos);
  const candidates = Object.keys(obj).filter((k) => !(k in taskKeywords) && !isWithKey(k));
  if (candidates.length === 0) {
    throw new TsplayError('validation', 'no module/action detected in task', {
      pos,
      hint: `add one module, e.g. 'debug: msg=hello'; modules: ${ctx.registry.names().join(', ')}`,
    });
  }
  if (candidates.length > 1) {
    const unknown = candidates.filter((c) => !ctx.registry.has(c));
    const detail = unknown.length
      ? unknown.map((u) => ` '${u}' is neither a keyword nor a module.${didYouMean(u, [...Object.keys(taskKeywords), ...ctx.registry.names()])}`).join('')
      : '';
    // A misspelt keyword (`whn:`, `registr:`) is the usual cause: point at it and say so; two real modules need two tasks.
    throw new TsplayError('validation', `conflicting action statements: ${candidates.join(', ')}.${detail}`, {
      pos: keyPos(obj, unknown[0] ?? candidates[1]) ?? pos,
      hint: unknown.length
        ? `correct the spelling of '${unknown[0]}' (a task keyword such as when, register, loop, become, or the module's name); a task holds one module and its keywords`
        : 'a task runs exactly one module: split it into two tasks',
    });
  }
  const moduleKey = candidates[0];
  const modulePos = keyPos(obj, moduleKey) ?? pos;
  const templated = fromAction === moduleKey && isTemplate(moduleKey);
  if (!templated && !ctx.registry.has(moduleKey)) {
    throw new TsplayError('validation', `couldn't resolve module/action '${moduleKey}'.${didYouMean(canonicalModuleName(moduleKey), [...ctx.registry.names(), ...Object.keys(taskKeywords)])}`, {
      pos: modulePos,
      hint: `check the spelling; modules: ${ctx.registry.names().join(', ')} (or a .js module in a modules/ folder beside the playbook)`,
    });
  }
  validateKeywords(obj, taskKeywords, 'task');
  const module = templated ? moduleKey : canonicalModuleName(moduleKey);
  const args = templated ? templatedActionArgs(obj[moduleKey], obj.args, moduleKey, modulePos) : await moduleArgs(obj[moduleKey], obj.args, module, modulePos, ctx);
  const loopControl = (obj.loop_control as Record<string, unknown>) ?? {};
  const loop = loopKeyword(obj);
  return {
    kind: 'task',
    ...common(obj, pos),
    module,
    ...(templated ? { moduleTemplate: true } : {}),
    // An unnamed task's banner shows the action as written (`ansible.builtin.ping`), as Ansible's does.
    ...(moduleKey !== module ? { action: moduleKey } : {}),
    args,
    modulePos,
    argPositions: argumentPositions(obj[moduleKey]),
    loop: loop.loop,
    loopWith: loop.loopWith,
    loopFlatten: loop.loopWith === 'items',
    loopVar: (loopControl.loop_var as string) ?? 'item',
    loopLabel: loopControl.label as string | undefined,
    indexVar: loopControl.index_var as string | undefined,
    loopPause: loopControl.pause,
    register: obj.register as string | undefined,
    notify: toList(obj.notify).map(String),
    changedWhen: obj.changed_when === undefined ? undefined : toList(obj.changed_when),
    failedWhen: obj.failed_when === undefined ? undefined : toList(obj.failed_when),
    until: obj.until === undefined ? undefined : toList(obj.until),
    retries: obj.retries as number | string | undefined,
    delay: obj.delay as number | string | undefined,
    listen: toList(obj.listen).map(String),
  };
}

async function moduleArgs(value: unknown, extra: unknown, module: string, pos: SourcePos, ctx: ParseContext): Promise<unknown> {
  const def = await ctx.registry.get(module);
  return normaliseArgs(value, extra, def.freeForm, Object.keys((def.schema.properties as object) ?? {}), module, pos);
}

/**
 * The arguments of `action: "{{ name }} k=v"`: key=value words or a mapping
 * only, as Ansible reads them before it knows the module; a free-form word
 * is refused, as Ansible refuses it.
 */
function templatedActionArgs(value: unknown, extra: unknown, name: string, pos: SourcePos): unknown {
  if (typeof value === 'string' && parseKeyValues(value).rest) {
    throw new TsplayError('validation', `this task '${name}' has extra params, which is only allowed in the following modules: a module named in the task itself (command, shell, raw, script, ...), not one whose name is a template`, {
      pos,
      hint: `give the arguments as key=value words (${name} path=/tmp/x) or as a mapping under 'args:'`,
    });
  }
  return normaliseArgs(value, extra, undefined, [], name, pos);
}

function argumentPositions(value: unknown): Record<string, SourcePos> {
  const out: Record<string, SourcePos> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of Object.keys(value)) {
      const p = valuePos(value, k) ?? keyPos(value, k);
      if (p) out[k] = p;
    }
  }
  return out;
}

/** Modules that take their whole argument mapping from one template (Ansible's add_host reads it from _raw_params). */
const RAW_MAPPING_MODULES = new Set(['add_host']);
const WHOLE_TEMPLATE = /^\{\{[^]*\}\}$/;

function normaliseArgs(value: unknown, extra: unknown, freeForm: string | undefined, argNames: string[], module: string, pos: SourcePos): unknown {
  let args: Record<string, unknown>;
  if (value === null || value === undefined) args = {};
  else if (typeof value === 'string') {
    const { args: kv, rest } = parseKeyValues(value, freeForm ? FREE_FORM_OPTION_KEYS : undefined);
    args = kv;
    if (rest && !freeForm && RAW_MAPPING_MODULES.has(module) && !Object.keys(kv).length && WHOLE_TEMPLATE.test(value.trim())) {
      // `add_host: "{{ host_spec }}"`: the whole mapping from one template, as Ansible's add_host takes it.
      args = { _raw_params: value.trim() };
    } else if (rest && !freeForm && RAW_MAPPING_MODULES.has(module)) {
      // Words that are not key=value: Ansible hands them to add_host, which fails the task (so ignore_errors works).
      args = { ...kv, _raw_params: rest };
    } else if (rest) {
      if (!freeForm) {
        throw new TsplayError('validation', `module '${module}' takes key=value arguments, got '${rest}'`, {
          pos,
          hint: `write e.g. '${module}: ${argNames[0] ?? 'key'}=value', or give the arguments as a mapping`,
        });
      }
      args[freeForm] = rest;
    }
  } else if (typeof value === 'object' && !Array.isArray(value)) args = { ...(value as Record<string, unknown>) };
  else if (freeForm && (typeof value === 'number' || typeof value === 'boolean')) args = { [freeForm]: String(value) };
  else {
    throw new TsplayError('validation', `the arguments of module '${module}' must be a mapping or a key=value string`, { pos });
  }
  if (typeof extra === 'string') return { ...parseKeyValues(extra).args, ...args };
  if (extra && typeof extra === 'object') return { ...(extra as Record<string, unknown>), ...args };
  return args;
}

/**
 * include_tasks' `apply:`: keywords for the included tasks (tags, when,
 * become, vars, ...), since an include's own keywords apply to the include only.
 */
function includeApply(spec: unknown, pos: SourcePos): TaskCommon | undefined {
  if (!spec || typeof spec !== 'object' || !('apply' in spec)) return undefined;
  const apply = requireMapping((spec as Record<string, unknown>).apply, "include_tasks' apply", pos);
  rejectUnknown(apply, blockKeywords, "include_tasks' apply");
  validateKeywords(apply, blockKeywords, 'block');
  return common(apply, posOf(apply) ?? pos);
}
