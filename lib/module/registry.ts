/**
 * Finds modules by name: the built-in ones shipped in modules/, modules
 * registered in-process (`runPlaybook({ modules })`), and local modules in a
 * `modules/` (or `library/`) folder beside the playbook.
 *
 * A local module is a `.js` or `.mjs` file that default-exports
 * defineModule({...}) and is named after the module (`etcd_member.js` for
 * name 'etcd_member'). Its `import ... from 'tsplay'` (or 'tsplay/module')
 * resolves to the tsplay that is running, wherever the playbook lives; see
 * docs/modules.md for writing one in TypeScript. Built-ins load on first
 * use, so start-up stays fast.
 */
import { existsSync, readdirSync } from 'node:fs';
import { register } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TsplayError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { ModuleDefinition } from './define.js';

/** Built-in module names; each is modules/<name>.ts. */
export const builtinModuleNames = [
  'add_host',
  'assert',
  'backup',
  'blockinfile',
  'command',
  'copy',
  'debug',
  'env_file',
  'etcd_add_member_plan',
  'etcd_alarm',
  'etcd_decommission_plan',
  'etcd_defrag',
  'etcd_member',
  'etcd_restore_plan',
  'etcd_snapshot',
  'etcd_status',
  'fail',
  'fetch',
  'file',
  'file_copy',
  'group_by',
  'flanneld_config',
  'haproxy_backend',
  'include_vars',
  'inventory_file',
  'lineinfile',
  'meta',
  'openshift_etcd_facts',
  'pause',
  'ping',
  'replace',
  'service',
  'set_fact',
  'setup',
  'shell',
  'slurp',
  'stat',
  'static_pod',
  'systemd',
  'systemd_dropin',
  'template',
  'wait_for',
  'wait_for_connection',
  'yaml_edit',
  // Network, downloads, archives and trees.
  'get_url',
  'uri',
  'find',
  'tempfile',
  'unarchive',
  'archive',
  'assemble',
  'git',
  // Users, access and system.
  'user',
  'group',
  'cron',
  'raw',
  'script',
  'sysctl',
  'authorized_key',
  'getent',
  'known_hosts',
  'hostname',
  // Packages, service facts, mount, reboot.
  'apt',
  'apt_repository',
  'package_facts',
  'service_facts',
  'package',
  'mount',
  'yum_repository',
  'reboot',
  'timezone',
  'dnf',
  'yum',
  'rpm_key',
] as const;

const FQCN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

/** Built-in modules that Ansible ships in a collection rather than in ansible-core: they answer to that name too. */
const COLLECTION_NAMES: Record<string, string> = {
  'ansible.posix.authorized_key': 'authorized_key',
  'community.general.archive': 'archive',
  'ansible.posix.sysctl': 'sysctl',
  'community.general.timezone': 'timezone',
};

/** The collection name a built-in module also answers to, if any (`archive` → its community.general name). */
export function collectionNameOf(module: string): string | undefined {
  return Object.keys(COLLECTION_NAMES).find((name) => COLLECTION_NAMES[name] === module);
}

export function canonicalModuleName(name: string): string {
  if (Object.hasOwn(COLLECTION_NAMES, name)) return COLLECTION_NAMES[name];
  for (const p of FQCN_PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What is wrong with a value that should be a module definition, or undefined when nothing is. */
export function moduleShapeProblem(def: unknown): string | undefined {
  if (!def || typeof def !== 'object') return 'it does not default-export defineModule({...})';
  const d = def as Partial<ModuleDefinition>;
  if (typeof d.name !== 'string' || !NAME.test(d.name)) return `its 'name' must be a module name (letters, digits, _), got ${JSON.stringify(d.name)}`;
  if (typeof d.plan !== 'function') return `module '${d.name}' has no plan() function`;
  if (d.apply !== undefined && typeof d.apply !== 'function') return `module '${d.name}': apply must be a function`;
  if (d.reads !== undefined && typeof d.reads !== 'function') return `module '${d.name}': reads must be a function`;
  if (!d.schema || typeof d.schema !== 'object') return `module '${d.name}' has no argument schema ('schema')`;
  if (d.checkMode !== undefined && !['plan', 'skip', 'always'].includes(d.checkMode)) return `module '${d.name}': checkMode must be 'plan', 'skip' or 'always'`;
  return undefined;
}

let resolverInstalled = false;

/**
 * Makes `import 'tsplay'` (and 'tsplay/module', 'tsplay/testing',
 * 'tsplay/modules/<name>') in local module files load this running tsplay,
 * not whatever a node_modules folder near the playbook holds (or nothing).
 * The specifiers are resolved from this file's own location, so it works
 * from the built package and from the TypeScript sources alike.
 */
function installTsplayResolver(): void {
  if (resolverInstalled) return;
  resolverInstalled = true;
  const here = import.meta.url;
  const code = `
const HERE = ${JSON.stringify(here)};
const MAP = { 'tsplay': '../index.js', 'tsplay/module': './kit.js', 'tsplay/testing': '../testing/index.js' };
export async function resolve(specifier, context, next) {
  // A local module file is ES module code whatever package.json says (or does not say) around it.
  if (specifier.endsWith('?tsplay-local-module')) return { ...(await next(specifier, context)), format: 'module' };
  let target = MAP[specifier];
  if (!target && specifier.startsWith('tsplay/modules/')) target = '../../modules/' + specifier.slice(15).replace(/\\.js$/, '') + '.js';
  if (target) return next(target, { ...context, parentURL: HERE });
  return next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(code)}`);
}

export class ModuleRegistry {
  private readonly local = new Map<string, string>();
  private readonly loaded = new Map<string, ModuleDefinition>();
  private readonly inProcess = new Map<string, ModuleDefinition>();
  private readonly builtins: Set<string>;
  /** TypeScript files in local module folders without a built .js beside them. */
  private readonly unbuilt = new Map<string, string>();

  constructor(builtinNames: readonly string[] = builtinModuleNames) {
    this.builtins = new Set(builtinNames);
  }

  /** Adds a directory of local modules; later directories win over earlier ones and over built-ins. */
  addLocalDir(dir: string): void {
    if (!existsSync(dir)) return;
    const files = readdirSync(dir);
    for (const f of files) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\.(m?js)$/.exec(f);
      if (m) this.local.set(m[1], resolve(dir, f));
      const ts = /^([A-Za-z_][A-Za-z0-9_]*)\.m?ts$/.exec(f);
      if (ts && !f.endsWith('.d.ts') && !files.includes(`${ts[1]}.js`) && !files.includes(`${ts[1]}.mjs`)) this.unbuilt.set(ts[1], resolve(dir, f));
    }
  }

  /** Registers a module object (runPlaybook's `modules`); it wins over local files and built-ins. */
  register(def: ModuleDefinition, source = 'runPlaybook({ modules })'): void {
    const problem = moduleShapeProblem(def);
    if (problem) throw new TsplayError('validation', `a module given to ${source} is not valid: ${problem}`, { hint: 'export defineModule({...}) from the kit (tsplay/module)' });
    this.inProcess.set(def.name, def);
  }

  has(name: string): boolean {
    const n = canonicalModuleName(name);
    // An unbuilt TypeScript module is known, so that get() can say how to build it.
    return this.inProcess.has(n) || this.local.has(n) || this.builtins.has(n) || this.unbuilt.has(n);
  }

  names(): string[] {
    return [...new Set([...this.builtins, ...this.local.keys(), ...this.inProcess.keys()])].sort();
  }

  /** The file a module comes from (undefined for built-ins and in-process modules). */
  fileOf(name: string): string | undefined {
    const n = canonicalModuleName(name);
    return this.inProcess.has(n) ? undefined : this.local.get(n);
  }

  async get(name: string): Promise<ModuleDefinition> {
    const n = canonicalModuleName(name);
    const given = this.inProcess.get(n);
    if (given) return given;
    const cached = this.loaded.get(n);
    if (cached) return cached;
    let def: ModuleDefinition;
    if (this.local.has(n)) def = await this.loadLocal(n, this.local.get(n)!);
    else if (this.builtins.has(n)) def = ((await import(new URL(`../../modules/${n}.js`, import.meta.url).href)) as { default: ModuleDefinition }).default;
    else if (this.unbuilt.has(n)) {
      const file = this.unbuilt.get(n)!;
      throw new TsplayError('validation', `module '${n}' is a TypeScript file (${file}) that has not been built`, {
        hint: `compile it to ${basename(file).replace(/\.m?ts$/, '.js')} beside it (e.g. npx tsc -p ${join(file, '..')}); see docs/modules.md`,
      });
    } else throw new TsplayError('validation', `couldn't resolve module '${name}'.${didYouMean(n, this.names())}`);
    this.loaded.set(n, def);
    return def;
  }

  /** A user's module file: any problem with it is the user's, named by file. */
  private async loadLocal(name: string, file: string): Promise<ModuleDefinition> {
    installTsplayResolver();
    let mod: { default?: unknown };
    try {
      mod = (await import(`${pathToFileURL(file).href}?tsplay-local-module`)) as { default?: unknown };
    } catch (e) {
      const err = e as Error;
      throw new TsplayError('validation', `the module file ${file} could not be loaded: ${err?.message ?? String(e)}`, {
        hint: 'fix the module file (run it with node to see the error in full)',
        cause: e,
      });
    }
    const def = mod.default;
    const problem = moduleShapeProblem(def);
    if (problem) throw new TsplayError('validation', `the module file ${file} is not a module: ${problem}`, { hint: "default-export defineModule({...}) from 'tsplay/module'" });
    const declared = (def as ModuleDefinition).name;
    if (declared !== name) {
      throw new TsplayError('validation', `the module file ${file} declares the name '${declared}', but its file name says '${name}'`, {
        hint: `rename the file to ${declared}${file.endsWith('.mjs') ? '.mjs' : '.js'} or the module to '${name}': the two must agree`,
      });
    }
    return def as ModuleDefinition;
  }

  /** Loads every module now (for `tsplay doc` and for checking a playbook before it runs). */
  async loadAll(): Promise<ModuleDefinition[]> {
    return Promise.all(this.names().map((n) => this.get(n)));
  }
}

/** The local module folder conventions: `modules/` beside the playbook, and `library/` as Ansible names it. */
export function localModuleDirs(playbookDir: string): string[] {
  return [join(playbookDir, 'library'), join(playbookDir, 'modules')];
}
