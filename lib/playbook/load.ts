/**
 * Loads a playbook file into validated plays: import_playbook and
 * import_tasks are read now (they are static in Ansible too), everything
 * templated stays as written for run time.
 */
import { handlersOf } from './handler-imports.js';
import { varsMapping } from './vars-keyword.js';
import { dirname, resolve } from 'node:path';
import { TsplayError, type SourcePos } from '../errors.js';
import { ModuleRegistry, localModuleDirs } from '../module/registry.js';
import { didYouMean } from '../suggest.js';
import { importPlaybookKeywords, playKeywords, unsupportedKeywords } from './keywords.js';
import { parseTaskList, roleTasksParser, shortenQualifiedKeywords, toList, nameText, type ParseContext } from './parse-task.js';
import { newRoleLoadContext, playRoleBlocks, type RoleLoadContext } from './roles.js';
import { parseModuleDefaults } from './module-defaults.js';
import type { RoleFrame } from './types.js';
import type { Handler, Play, Playbook, Task } from './types.js';
import { requireMapping, validateKeywords } from './validate.js';
import { keyPos, loadYamlFile, posOf, valuePos } from './yaml-source.js';

export interface LoadOptions {
  registry?: ModuleRegistry;
  /** The playbook's content as data (the list of plays YAML would hold); `path` then only names it and places its relative paths. */
  data?: unknown;
  /** The roles_path setting: where roles are looked for after roles/ beside the playbook. */
  rolesPath?: string[];
}

export async function loadPlaybook(path: string, opts: LoadOptions = {}): Promise<Playbook> {
  const file = resolve(path);
  const registry = opts.registry ?? new ModuleRegistry();
  for (const d of localModuleDirs(dirname(file))) registry.addLocalDir(d);
  const plays = await loadPlays(file, registry, [], opts.data, opts.rolesPath ?? []);
  return { file, plays };
}

async function loadPlays(file: string, registry: ModuleRegistry, stack: string[], data: unknown, rolesPath: string[]): Promise<Play[]> {
  if (stack.includes(file)) {
    throw new TsplayError('validation', `import_playbook loop: ${[...stack, file].join(' -> ')}`);
  }
  const raw = data !== undefined ? data : loadYamlFile(file, 'playbook', 'check the path and the current directory');
  // Ansible refuses a playbook with nothing to run (exit 4) rather than doing nothing silently.
  if (raw === null || raw === undefined) {
    throw new TsplayError('validation', `Empty playbook, nothing to do: ${file}`, { hint: 'add a play, e.g. "- hosts: all" with its tasks' });
  }
  if (Array.isArray(raw) && raw.length === 0) {
    throw new TsplayError('validation', `A playbook must contain at least one play: ${file}`, { hint: 'add a play, e.g. "- hosts: all" with its tasks' });
  }
  if (!Array.isArray(raw)) {
    throw new TsplayError('validation', 'a playbook must be a list of plays', {
      pos: posOf(raw) ?? { file, line: 1, col: 1 },
      hint: 'start each play with "- hosts: ..."',
    });
  }
  const plays: Play[] = [];
  for (const entry of raw) {
    const obj = requireMapping(entry, 'a play', { file, line: 1, col: 1 });
    shortenQualifiedKeywords(obj);
    if ('import_playbook' in obj) {
      for (const k of Object.keys(obj)) {
        if (!(k in importPlaybookKeywords)) {
          throw new TsplayError('validation', `'${k}' is not valid beside import_playbook.${didYouMean(k, Object.keys(importPlaybookKeywords))}`, { pos: keyPos(obj, k) });
        }
      }
      validateKeywords(obj, importPlaybookKeywords, 'import_playbook');
      const target = resolve(dirname(file), String(obj.import_playbook));
      const imported = await loadPlays(target, registry, [...stack, file], undefined, rolesPath);
      for (const d of localModuleDirs(dirname(target))) registry.addLocalDir(d);
      for (const p of imported) {
        p.vars = { ...p.vars, ...varsMapping(obj.vars) };
        p.tags = [...p.tags, ...toList(obj.tags).map(String)];
        if (obj.when !== undefined) wrapPlayWhen(p, toList(obj.when));
        plays.push(p);
      }
      continue;
    }
    plays.push(await parsePlay(obj, file, registry, [...stack, file], rolesPath));
  }
  return plays;
}

/** import_playbook's `when` applies to every task of the imported plays. */
function wrapPlayWhen(play: Play, when: unknown[]): void {
  for (const key of ['preTasks', 'tasks', 'postTasks'] as const) {
    if (play[key].length) play[key] = [{ kind: 'block', when, tags: [], vars: {}, pos: play.pos, block: play[key], rescue: [], always: [] }];
  }
}

async function parsePlay(obj: Record<string, unknown>, file: string, registry: ModuleRegistry, stack: string[], rolesPath: string[]): Promise<Play> {
  const pos: SourcePos = posOf(obj) ?? { file, line: 1, col: 1 };
  for (const k of Object.keys(obj)) {
    if (k in unsupportedKeywords) throw new TsplayError('validation', `'${k}' is not supported: ${unsupportedKeywords[k]}`, { pos: keyPos(obj, k) });
    if (!(k in playKeywords)) {
      const looksLikeTask = registry.has(k);
      throw new TsplayError('validation', `'${k}' is not a valid attribute for a play.${didYouMean(k, Object.keys(playKeywords))}`, {
        pos: keyPos(obj, k),
        hint: looksLikeTask ? `'${k}' is a module: put it in a task under 'tasks:'` : 'remove it or check its indentation',
      });
    }
  }
  if (obj.hosts === undefined || obj.hosts === null || obj.hosts === '') {
    throw new TsplayError('validation', "the field 'hosts' is required but was not set", {
      pos,
      hint: "add 'hosts: <pattern>' to the play, e.g. 'hosts: all' or 'hosts: etcd'",
    });
  }
  validateKeywords(obj, playKeywords, 'play');
  const roles = newRoleLoadContext(dirname(file), rolesPath);
  const ctx: ParseContext = { file, registry, importStack: stack, roles };
  const hosts = toList(obj.hosts).map(String).join(',');
  // `roles:` run first in the tasks section, after pre_tasks and their handlers; their handlers come before the play's.
  const roleBlocks = await playRoleBlocks(obj.roles, roles, roleTasksParser(ctx), pos);
  const roleHandlers = roles.handlers.splice(0);
  const preTasks = await parseTaskList(obj.pre_tasks, ctx, "the play's 'pre_tasks'", pos);
  const tasks = await parseTaskList(obj.tasks, ctx, "the play's 'tasks'", pos);
  const postTasks = await parseTaskList(obj.post_tasks, ctx, "the play's 'post_tasks'", pos);
  const handlersRaw = await parseTaskList(obj.handlers, { ...ctx, handlers: true }, "the play's 'handlers'", pos);
  const handlers: Handler[] = [...roleHandlers, ...handlersOf(handlersRaw)];
  handlers.push(...roles.importedHandlers, ...roles.handlers);
  return {
    name: nameText(obj.name) ?? hosts,
    hosts,
    vars: varsMapping(obj.vars),
    varsFiles: toList(obj.vars_files).map(String),
    varsFilesPos: Array.isArray(obj.vars_files) ? obj.vars_files.map((_v, i) => valuePos(obj.vars_files, i)) : [keyPos(obj, 'vars_files')],
    serial: obj.serial,
    anyErrorsFatal: obj.any_errors_fatal ?? false,
    forceHandlers: obj.force_handlers,
    maxFailPercentage: obj.max_fail_percentage,
    become: obj.become,
    becomeUser: obj.become_user as string | undefined,
    becomeMethod: obj.become_method as string | undefined,
    remoteUser: obj.remote_user as string | undefined,
    connection: obj.connection as string | undefined,
    gatherFacts: obj.gather_facts ?? true,
    gatherArgs: {
      ...(obj.gather_subset !== undefined ? { gather_subset: obj.gather_subset } : {}),
      ...(obj.gather_timeout !== undefined ? { gather_timeout: obj.gather_timeout } : {}),
      ...(obj.fact_path !== undefined ? { fact_path: obj.fact_path } : {}),
    },
    strategy: obj.strategy,
    preTasks,
    tasks: [...roleBlocks, ...tasks],
    postTasks,
    handlers,
    roles: roles.playRoles,
    tags: toList(obj.tags).map(String),
    checkMode: obj.check_mode,
    diff: obj.diff,
    ignoreUnreachable: obj.ignore_unreachable,
    noLog: obj.no_log,
    environment: obj.environment as Play['environment'],
    moduleDefaults: parseModuleDefaults(obj.module_defaults, keyPos(obj, 'module_defaults') ?? pos),
    baseDir: dirname(file),
    pos,
  };
}

/** Reads an include_tasks file at run time, with the same rules as import_tasks. */
export async function loadTasksFile(file: string, registry: ModuleRegistry, pos: SourcePos, roles?: RoleLoadContext, frame?: RoleFrame) {
  const raw = loadYamlFile(file, 'tasks file', 'check the path in include_tasks');
  return parseTaskList(raw, { file, registry, importStack: [file], roles, frame }, `tasks file ${file}`, pos);
}

