/**
 * Roles, read the way Ansible reads them: found by name in `roles/` beside
 * the playbook, then the roles_path setting, then beside the including role,
 * then the playbook's folder (or named by path); their tasks/, handlers/,
 * defaults/, vars/ and meta/ main files (or the *_from ones); dependencies
 * first. A role becomes a block with a RoleFrame: the walker gives its tasks
 * the role's variables (lib/engine/role-vars.ts) and prints them as
 * `role : task`.
 */
import { handlersOf } from './handler-imports.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { ExitCode, TsplayError, type SourcePos } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { assignOwn } from '../util/own.js';
import { roleEntryKeywords } from './keywords.js';
import { parseModuleDefaults } from './module-defaults.js';
import type { Block, Handler, LoadedRole, RoleFrame, Task, TaskCommon, TaskNode } from './types.js';
import { requireMapping, validateKeywords } from './validate.js';
import { varsMapping } from './vars-keyword.js';
import { keyPos, loadYamlFile, posOf } from './yaml-source.js';

/** What loading roles needs for one play. */
export interface RoleLoadContext {
  /** The playbook's folder: roles/ there comes first, the folder itself last. */
  playbookDir: string;
  /** The roles_path setting. */
  rolesPath: string[];
  /** Ansible's role cache: one LoadedRole per name and invocation. */
  cache: Map<string, LoadedRole>;
  /** Roles of `roles:` and import_role: their variables are the play's. */
  playRoles: LoadedRole[];
  /** Handlers of the roles loaded, in order, each role's once. */
  handlers: Handler[];
  /** Handlers of import_role's roles: after the play's own. */
  importedHandlers: Handler[];
  handlersOf: Set<string>;
  /** Roles being loaded, to refuse a dependency loop. */
  loading: string[];
}

export function newRoleLoadContext(playbookDir: string, rolesPath: string[] = []): RoleLoadContext {
  return { playbookDir, rolesPath, cache: new Map(), playRoles: [], handlers: [], importedHandlers: [], handlersOf: new Set(), loading: [] };
}

/** A role invocation before loading: `- role: x` with its keywords and parameters. */
export interface RoleEntry {
  name: string;
  keywords: Record<string, unknown>;
  params: Record<string, unknown>;
  vars: Record<string, unknown>;
  pos: SourcePos;
}

/** `- common`, `- role: common`, `- name: common` with keywords and parameters, as in `roles:` and meta dependencies. */
export function parseRoleEntry(raw: unknown, what: string, parentPos: SourcePos): RoleEntry {
  if (typeof raw === 'string') return { name: raw, keywords: {}, params: {}, vars: {}, pos: parentPos };
  const obj = requireMapping(raw, what, parentPos);
  const pos = posOf(obj) ?? parentPos;
  const nameKey = 'role' in obj ? 'role' : 'name' in obj ? 'name' : undefined;
  if (!nameKey || typeof obj[nameKey] !== 'string' || !obj[nameKey]) {
    throw new TsplayError('validation', `${what} needs the role's name in 'role:'`, { pos, hint: "write e.g. '- role: common' (or just '- common')" });
  }
  const keywords: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    if (k === nameKey || (k === 'name' && nameKey === 'role')) continue;
    if (k in roleEntryKeywords) keywords[k] = obj[k];
    else params[k] = obj[k];
  }
  validateKeywords(keywords, roleEntryKeywords, what);
  return { name: String(obj[nameKey]), keywords, params, vars: varsMapping(keywords.vars), pos };
}

/** The role's folder: by name along the search path, or the name as a path. */
export function findRole(name: string, ctx: RoleLoadContext, pos: SourcePos, parentPath?: string): string {
  if (name.includes('{{')) {
    throw new TsplayError('validation', `a role named by a template must be included, not imported: ${name}`, { pos, hint: 'use include_role for a role whose name depends on variables' });
  }
  const rolesPath = ctx.rolesPath.map((p) => (p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p));
  const search = [join(ctx.playbookDir, 'roles'), ...rolesPath, ...(parentPath ? [resolve(parentPath, '..')] : []), ctx.playbookDir];
  if (!name.includes('/')) {
    for (const dir of search) {
      const p = join(dir, name);
      if (isDir(p)) return p;
    }
  }
  const asPath = isAbsolute(name) ? name : resolve(ctx.playbookDir, name);
  if (isDir(asPath)) return asPath;
  // Exit 1, as ansible-playbook's for a role it cannot find.
  throw new TsplayError('validation', `the role '${name}' was not found in ${search.join(':')}`, {
    pos,
    exitCode: ExitCode.error,
    hint: `put it in roles/${name} beside the playbook, add its parent folder to roles_path (ansible.cfg or ANSIBLE_ROLES_PATH), or name it by its path`,
  });
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A role's `sub/name` files, as Ansible finds them: `name` with `.yml`,
 * `.yaml`, `.json` or no extension (no extension first for a *_from name,
 * last for main); for vars and defaults, a folder of that name gives all its
 * files, sorted. A name that leads outside `sub/` is refused.
 */
export function roleFiles(rolePath: string, sub: string, name: string | undefined, allowDir: boolean, pos: SourcePos): string[] {
  const dir = join(rolePath, sub);
  const exts = name === undefined ? ['.yml', '.yaml', '.json', ''] : ['', '.yml', '.yaml', '.json'];
  for (const ext of exts) {
    const p = resolve(dir, (name ?? 'main') + ext);
    if (!existsSync(p)) continue;
    const found = isDir(p) ? (allowDir ? filesUnder(p) : []) : [p];
    if (!found.length) continue;
    for (const f of found) {
      if (!(f + '/').startsWith(dir + '/')) {
        throw new TsplayError('validation', `Failed loading '${f}' for role (${basename(rolePath)}) as it is not inside the expected role path: '${dir}'`, {
          pos,
          hint: `name a file inside the role's ${sub}/ folder`,
        });
      }
    }
    return found;
  }
  return [];
}

/** Every file under a folder (hidden ones aside), sorted by path. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Which files of the role to read instead of the main ones (import_role/include_role). */
export interface FromFiles {
  tasks?: string;
  vars?: string;
  defaults?: string;
  handlers?: string;
}

function readRoleYaml(rolePath: string, sub: string, from: string | undefined, pos: SourcePos, allowDir = false): { file?: string; data: unknown } {
  const files = roleFiles(rolePath, sub, from, allowDir, pos);
  if (!files.length) {
    // Ansible says so only when the role has the folder at all.
    if (from === undefined || !isDir(join(rolePath, sub))) return { data: undefined };
    throw new TsplayError('validation', `Could not find specified file in role: ${sub}/${from}`, { pos, hint: `check the ${sub}_from name: the role ${rolePath} has no ${sub}/${from}(.yml|.yaml)` });
  }
  let data: unknown;
  for (const file of files) {
    const next = loadYamlFile(file, `role ${sub} file`, `check the role ${rolePath}`);
    if (next === null || next === undefined) continue;
    const mapping = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    data = data !== undefined && mapping(data) && mapping(next) ? assignOwn({}, data as Record<string, unknown>, next as Record<string, unknown>) : next;
  }
  return { file: files[0], data };
}

function varsFile(rolePath: string, sub: string, from: string | undefined, pos: SourcePos): Record<string, unknown> {
  const { file, data } = readRoleYaml(rolePath, sub, from, pos, true);
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new TsplayError('validation', `the role file ${file} must hold a mapping of variable names to values`, { pos: posOf(data) ?? { file: file!, line: 1, col: 1 } });
  }
  return data as Record<string, unknown>;
}

/** Ansible's hash of a role's invocation: the same name with the same of these is the same role. */
function invocationKey(name: string, entry: RoleEntry, from: FromFiles, fromInclude: boolean): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : Array.isArray(v) ? v.map(sorted) : v;
  return JSON.stringify([name, sorted(entry.params), entry.keywords.when ?? null, entry.keywords.tags ?? null, sorted(entry.vars), sorted(from), fromInclude]);
}

/** Parses a tasks file of a role; given by the caller, since the task parser imports this file. */
export type ParseTasks = (raw: unknown, file: string, frame: RoleFrame, what: string, handlers?: boolean) => Promise<TaskNode[]>;

export interface RoleInvocation {
  entry: RoleEntry;
  from?: FromFiles;
  fromInclude?: boolean;
  /** include_role's allow_duplicates (default true there); the role's meta decides otherwise. */
  allowDuplicates?: boolean;
  /** The role whose tasks or meta name this one. */
  parent?: RoleFrame;
  /** A meta dependency (the parent's chain is inherited), not an import or include from the parent's tasks. */
  dependency?: boolean;
  /** The keywords of the block (a `roles:` entry's, or an import_role task's). */
  common: TaskCommon;
  /** The import_role/include_role task's vars. */
  includeParams?: Record<string, unknown>;
}

/**
 * The block that runs a role: its dependencies (each a block of its own),
 * then its tasks. Handlers go to ctx.handlers once per role.
 */
export async function roleBlock(inv: RoleInvocation, ctx: RoleLoadContext, parseTasks: ParseTasks): Promise<Block> {
  const { entry } = inv;
  const from = inv.from ?? {};
  const path = findRole(entry.name, ctx, entry.pos, inv.parent?.role.path);
  const name = entry.name.includes('/') ? path.split('/').filter(Boolean).pop()! : entry.name;
  const key = invocationKey(path, entry, from, !!inv.fromInclude);
  if (ctx.loading.includes(key)) {
    throw new TsplayError('validation', `A recursion loop was detected with the roles specified: ${[...ctx.loading.map((k) => JSON.parse(k)[0]), path].join(' -> ')}`, {
      pos: entry.pos,
      exitCode: ExitCode.error,
      hint: 'make sure child roles do not have dependencies on parent roles',
    });
  }
  const meta = readRoleYaml(path, 'meta', undefined, entry.pos).data;
  const metaMap = meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {};
  let role = ctx.cache.get(key);
  if (!role) {
    role = {
      name,
      path,
      key,
      allowDuplicates: inv.allowDuplicates ?? metaMap.allow_duplicates === true,
      defaults: varsFile(path, 'defaults', from.defaults, entry.pos),
      roleVars: varsFile(path, 'vars', from.vars, entry.pos),
      invocationVars: entry.vars,
      params: entry.params,
      dependencies: [],
    };
    ctx.cache.set(key, role);
  } else if (inv.allowDuplicates !== undefined) {
    // import_role and include_role set it on the role they run, as Ansible does on its cached role.
    role.allowDuplicates = inv.allowDuplicates;
  }
  // A dependency, and a role imported or included from a role's tasks, run within that role: its defaults, vars and parameters reach them.
  const chain = inv.parent ? [...inv.parent.chain, inv.parent.role] : [];
  const frame: RoleFrame = {
    role,
    chain,
    parentNames: inv.parent && !inv.dependency ? [inv.parent.role.name, ...inv.parent.parentNames] : [],
    parentPaths: inv.parent && !inv.dependency ? [inv.parent.role.path, ...inv.parent.parentPaths] : [],
    includeParams: inv.includeParams ?? {},
  };
  ctx.loading.push(key);
  try {
    const deps: Block[] = [];
    const depsRaw = metaMap.dependencies;
    if (depsRaw !== undefined && depsRaw !== null && !Array.isArray(depsRaw)) {
      throw new TsplayError('validation', `the dependencies of role '${name}' must be a list`, { pos: posOf(depsRaw) ?? posOf(meta) ?? entry.pos, hint: "write e.g. 'dependencies: [common]'" });
    }
    const depRoles: LoadedRole[] = [];
    for (const d of (depsRaw as unknown[] | undefined) ?? []) {
      const depEntry = parseRoleEntry(d, `a dependency of role '${name}'`, posOf(depsRaw) ?? entry.pos);
      const b = await roleBlock({ entry: depEntry, parent: frame, dependency: true, common: blockCommon(depEntry) }, ctx, parseTasks);
      deps.push(b);
      depRoles.push(b.role!.role);
    }
    if (!role.dependencies.length) role.dependencies.push(...depRoles);
    const tasksYaml = readRoleYaml(path, 'tasks', from.tasks, entry.pos);
    const tasks = tasksYaml.file ? await parseTasks(tasksYaml.data, tasksYaml.file, frame, `the tasks of role '${name}'`) : [];
    if (!ctx.handlersOf.has(key)) {
      ctx.handlersOf.add(key);
      const h = readRoleYaml(path, 'handlers', from.handlers, entry.pos);
      if (h.file) {
        const nodes = await parseTasks(h.data, h.file, frame, `the handlers of role '${name}'`, true);
        for (const node of handlersOf(nodes)) ctx.handlers.push({ ...node, role: frame });
      }
    }
    return { kind: 'block', ...inv.common, role: frame, block: [...deps, ...tasks], rescue: [], always: [] };
  } finally {
    ctx.loading.pop();
  }
}

/** The block keywords of a `roles:` entry or dependency (when, tags, become, ...); its vars are the role's, not a block's. */
export function blockCommon(entry: RoleEntry): TaskCommon {
  const k = entry.keywords;
  const list = (v: unknown) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
  return {
    when: list(k.when),
    tags: list(k.tags).flatMap((t) => String(t).split(',')).map((t) => t.trim()).filter(Boolean),
    vars: {},
    become: k.become,
    becomeUser: k.become_user as string | undefined,
    becomeMethod: k.become_method as string | undefined,
    ignoreErrors: k.ignore_errors,
    ignoreUnreachable: k.ignore_unreachable,
    anyErrorsFatal: k.any_errors_fatal,
    checkMode: k.check_mode,
    diff: k.diff,
    noLog: k.no_log,
    runOnce: k.run_once,
    delegateTo: k.delegate_to as string | undefined,
    delegateFacts: k.delegate_facts,
    timeout: k.timeout,
    environment: k.environment as TaskCommon['environment'],
    moduleDefaults: parseModuleDefaults(k.module_defaults, entry.pos),
    pos: entry.pos,
  };
}

/** The `roles:` of a play, as blocks run before its tasks. */
export async function playRoleBlocks(raw: unknown, ctx: RoleLoadContext, parseTasks: ParseTasks, playPos: SourcePos): Promise<Block[]> {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new TsplayError('validation', "the play's 'roles' must be a list of roles", { pos: posOf(raw) ?? playPos, hint: "write e.g. 'roles: [common, web]'" });
  const out: Block[] = [];
  for (const item of raw) {
    const entry = parseRoleEntry(item, 'a role', posOf(raw) ?? playPos);
    const b = await roleBlock({ entry, common: blockCommon(entry) }, ctx, parseTasks);
    if (!ctx.playRoles.includes(b.role!.role)) ctx.playRoles.push(b.role!.role);
    out.push(b);
  }
  return out;
}

/** import_role and include_role options besides the name. */
export const ROLE_OPTIONS = ['name', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'public', 'allow_duplicates', 'apply', 'rolespec_validate'];

export function roleOptions(spec: unknown, what: string, obj: Record<string, unknown>, key: string, pos: SourcePos): Record<string, unknown> {
  const o = requireMapping(spec, `${what}'s arguments`, keyPos(obj, key) ?? pos);
  for (const k of Object.keys(o)) {
    if (!ROLE_OPTIONS.includes(k) || (k === 'apply' && what === 'import_role')) {
      throw new TsplayError('validation', `Invalid options for ${what}: ${k}.${didYouMean(k, ROLE_OPTIONS)}`, { pos: keyPos(o, k) ?? pos, hint: `${what} takes ${ROLE_OPTIONS.filter((x) => what !== 'import_role' || x !== 'apply').join(', ')}` });
    }
  }
  if (typeof o.name !== 'string' || !o.name) {
    throw new TsplayError('validation', `'name' is a required field for ${what}.`, { pos: keyPos(obj, key) ?? pos, hint: `write e.g. '${what}: {name: common}'` });
  }
  return o;
}

/** Merges variable sets (later wins), as Ansible's replace hash behaviour. */
export function mergeVars(...sets: Record<string, unknown>[]): Record<string, unknown> {
  return assignOwn({}, ...sets);
}
