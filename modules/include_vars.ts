import { readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { assignOwn, defineModule, ModuleError, setOwn } from '../lib/module/kit.js';
import { loadYaml, toValue } from '../lib/module/files/formats.js';
import { controllerFile, readController } from '../lib/module/files/put-file.js';
import { pyPattern } from '../lib/module/files/py-regex.js';


interface Args {
  file?: string;
  dir?: string;
  name?: string;
  depth?: number;
  files_matching?: string;
  ignore_files?: string | string[];
  extensions?: string[];
  ignore_unknown_extensions?: boolean;
  hash_behaviour?: 'replace' | 'merge';
}

type Vars = Record<string, unknown>;

const DIR_ONLY = ['dir', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions'] as const;

/** A failure as Ansible's include_vars reports it: `message`, with the folders loaded before (`ansible_facts`) and the files read. */
class IncludeFailure extends Error {
  constructor(
    message: string,
    readonly included: string[],
  ) {
    super(message);
  }

  /** With dir: what the folders before the failing one loaded. */
  partial: Vars = {};
}

function failure(message: string, included: string[]): never {
  throw new IncludeFailure(message, [...included]);
}

/** One vars file: a mapping (an empty file is an empty one). */
function loadFile(file: string, included: string[]): Vars {
  const { doc } = loadYaml(readController(file).toString('utf8'), file);
  const data = toValue(doc.contents, doc) ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) failure(`${file} must be stored as a dictionary/hash`, included);
  included.push(file);
  return data as Vars;
}

/**
 * The directories under `root` as Ansible walks them: every folder (os.walk,
 * sorted by path), each counted once towards `depth` (0: no limit), its files
 * sorted by name.
 */
function walk(root: string, depth: number): Array<{ dir: string; files: string[] }> {
  const all: Array<{ dir: string; files: string[] }> = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    all.push({ dir, files: entries.filter((e) => !e.isDirectory()).map((e) => e.name) });
    for (const e of entries) if (e.isDirectory()) visit(join(dir, e.name));
  };
  visit(root);
  all.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  const kept = depth > 0 ? all.slice(0, depth) : all;
  return kept.map((d) => ({ dir: d.dir, files: d.files.sort() }));
}

interface Selection {
  extensions: string[];
  matcher?: { search(s: string): unknown };
  ignore: Array<{ search(s: string): unknown }>;
  ignoreUnknown: boolean;
}

/** One folder's files, in order: a later file's variables win. */
function loadFolder(dir: string, files: string[], sel: Selection, included: string[]): Vars {
  const validExt = (name: string) => sel.extensions.includes(extname(name).slice(1));
  const out: Vars = {};
  for (const name of files) {
    if (sel.matcher && !sel.matcher.search(name)) continue;
    if (sel.ignore.some((p) => p.search(name))) continue;
    if (sel.ignoreUnknown && !validExt(name)) continue;
    const path = join(dir, name);
    if (!validExt(name)) failure(`${path} does not have a valid extension: ${sel.extensions.join(', ')}`, included);
    assignOwn(out, loadFile(path, included));
  }
  return out;
}

/**
 * Where a relative `dir` is, as Ansible's include_vars finds it: in a role,
 * under the role's vars/ (`dir: vars/x` is the role's own vars/x when that
 * exists, else it is relative to the current directory, as in Ansible);
 * elsewhere beside the task's file.
 */
function dirRoot(dir: string, rolePath: string | undefined, taskFile: string | undefined, playbookDir: string): string {
  if (isAbsolute(dir)) return dir;
  if (rolePath !== undefined) {
    if (dir.split('/')[0] !== 'vars') return join(rolePath, 'vars', dir);
    return existsSync(join(rolePath, dir)) ? join(rolePath, dir) : resolve(dir);
  }
  return join(taskFile ? dirname(taskFile) : playbookDir, dir);
}

function loadDir(args: Args, root: string, included: string[]): Vars {
  if (!existsSync(root)) failure(`${root} directory does not exist`, included);
  if (!statSync(root).isDirectory()) failure(`${root} is not a directory`, included);
  const sel: Selection = {
    extensions: args.extensions ?? ['yaml', 'yml', 'json'],
    matcher: args.files_matching ? pyPattern(args.files_matching) : undefined,
    ignore: (typeof args.ignore_files === 'string' ? args.ignore_files.split(/\s+/) : (args.ignore_files ?? [])).filter(Boolean).map((p) => pyPattern(`${p}$`)),
    ignoreUnknown: !!args.ignore_unknown_extensions,
  };
  const results: Vars = {};
  for (const { dir, files } of walk(root, args.depth ?? 0)) {
    try {
      assignOwn(results, loadFolder(dir, files, sel, included));
    } catch (e) {
      // A failing folder adds nothing; the folders before it are the failure's ansible_facts.
      if (e instanceof IncludeFailure) e.partial = results;
      throw e;
    }
  }
  return results;
}

const isDict = (v: unknown): v is Vars => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Ansible's merge_hash (hash_behaviour=merge): dictionaries merged key by key, recursively; anything else replaced. */
function mergeHash(old: unknown, value: unknown): unknown {
  if (!isDict(old) || !isDict(value)) return value;
  const out: Vars = {};
  assignOwn(out, old);
  for (const k of Object.keys(value)) setOwn(out, k, mergeHash(Object.hasOwn(old, k) ? old[k] : undefined, value[k]));
  return out;
}

/** Ansible's words when a controller file is not found (its AnsibleFileNotFound), which playbooks test. */
const NOT_ON_CONTROLLER = ' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option';

/** The vars file `file` names (see controllerFile); a missing or empty name fails in Ansible's words. */
function findVarsFile(file: string, vars: Vars): string {
  if (file === '') failure(`Could not find file${NOT_ON_CONTROLLER}`, []);
  try {
    return controllerFile(file, vars, 'vars');
  } catch (e) {
    if (!(e instanceof ModuleError)) throw e;
    return failure(`Could not find or access '${file}'\n${e.message}${NOT_ON_CONTROLLER}`, []);
  }
}

export default defineModule<Args>({
  name: 'include_vars',
  description:
    "Ansible's include_vars: loads YAML or JSON variables from a controller file (vars/ beside the playbook, or beside it) or from every file of a folder (`dir`, relative to the task's file, or in a role to its vars/; sorted, recursively to `depth`, filtered by `files_matching`, `ignore_files` and `extensions`), as host variables at set_fact's precedence, or under one variable with `name`. Runs in check mode too.",
  examples: ['- include_vars: cluster.yml', '- include_vars:\n    file: vars/members.yml\n    name: members', '- include_vars:\n    dir: vars/site\n    files_matching: "^prod-"\n    ignore_files: ["secret.yml"]\n    depth: 1'],
  freeForm: 'file',
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      file: { type: 'string', description: 'The file: in vars/ or beside the role, then vars/ or beside the playbook.' },
      dir: { type: 'string', minLength: 1, description: "A folder of vars files, relative to the task's file (in a role: to the role's vars/); every file with one of `extensions` is loaded, in sorted order (later files win)." },
      name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Put the loaded mapping under this variable.' },
      depth: { type: 'integer', minimum: 0, default: 0, description: 'With dir: how many folders are read, in sorted order of their paths (0: all).' },
      files_matching: { type: 'string', description: 'With dir: only files whose name this (Python) regular expression finds.' },
      ignore_files: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'With dir: file names (regular expressions matched at the end) to leave out.' },
      extensions: { type: 'array', items: { type: 'string' }, default: ['yaml', 'yml', 'json'], description: 'With dir: the extensions of vars files; another file in the folder fails the task unless ignore_unknown_extensions.' },
      ignore_unknown_extensions: { type: 'boolean', default: false, description: 'With dir: leave out files with other extensions instead of failing.' },
      hash_behaviour: { enum: ['replace', 'merge'], description: 'merge: a loaded dictionary is merged (recursively) into the variable of that name the task sees, instead of replacing it.' },
    },
  },
  async plan(args, ctx) {
    const given = Object.keys(args).filter((k) => (args as Record<string, unknown>)[k] !== undefined);
    const dirArgs = given.filter((k) => (DIR_ONLY as readonly string[]).includes(k) && !['depth', 'extensions', 'ignore_unknown_extensions'].includes(k));
    if (args.dir === undefined && args.file === undefined) throw new ModuleError('give file (or the file as free form) or dir');
    if (args.file !== undefined && dirArgs.length) throw new ModuleError('You are mixing file only and dir only arguments, these are incompatible', { result: { changed: undefined } });
    const included: string[] = [];
    const named = (data: Vars): Vars => {
      const facts: Vars = {};
      if (args.name) setOwn(facts, args.name, data);
      else assignOwn(facts, data);
      return facts;
    };
    let data: Vars;
    try {
      if (args.dir !== undefined) {
        const playbookDir = typeof ctx.vars.playbook_dir === 'string' ? ctx.vars.playbook_dir : process.cwd();
        const rolePath = typeof ctx.vars.role_path === 'string' ? ctx.vars.role_path : undefined;
        data = loadDir(args, dirRoot(args.dir, rolePath, ctx.task.pos?.file, playbookDir), included);
      } else {
        // A folded free form (`include_vars: >`) ends in a newline, which Ansible strips.
        data = loadFile(findVarsFile(args.file!.replace(/\n+$/, ''), ctx.vars), included);
      }
    } catch (e) {
      if (!(e instanceof IncludeFailure)) throw e;
      // Ansible's include_vars fails with `message`, not `msg`.
      throw new ModuleError(e.message, { result: { ansible_facts: named(e.partial), ansible_included_var_files: e.included, message: e.message, msg: undefined } });
    }
    const facts = named(data);
    // After `name`, as in Ansible: with it, the named variable is what is merged.
    if (args.hash_behaviour === 'merge') for (const k of Object.keys(facts)) setOwn(facts, k, mergeHash(Object.hasOwn(ctx.vars, k) ? ctx.vars[k] : undefined, facts[k]));
    return { changed: false, result: { ansible_facts: facts, ansible_included_var_files: included } };
  },
  async apply(_args, _ctx, plan) {
    return { changed: false, result: plan.result };
  },
});
