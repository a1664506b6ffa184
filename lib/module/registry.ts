/**
 * Finds modules by name: the built-in ones shipped in modules/, and a
 * `modules/` folder beside the playbook (`.js` / `.mjs` files that
 * default-export defineModule({...})). Built-ins load on first use, so
 * start-up stays fast.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TsplayError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { ModuleDefinition } from './define.js';

/** Built-in module names; each is modules/<name>.ts. */
export const builtinModuleNames = [
  'assert',
  'command',
  'debug',
  'fail',
  'meta',
  'pause',
  'set_fact',
  'setup',
  'shell',
] as const;

const FQCN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

export function canonicalModuleName(name: string): string {
  for (const p of FQCN_PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

export class ModuleRegistry {
  private readonly local = new Map<string, string>();
  private readonly loaded = new Map<string, ModuleDefinition>();
  private readonly builtins: Set<string>;

  constructor(builtinNames: readonly string[] = builtinModuleNames) {
    this.builtins = new Set(builtinNames);
  }

  /** Adds a directory of local modules; later directories win over earlier ones and over built-ins. */
  addLocalDir(dir: string): void {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\.(m?js)$/.exec(f);
      if (m) this.local.set(m[1], resolve(dir, f));
    }
  }

  has(name: string): boolean {
    const n = canonicalModuleName(name);
    return this.local.has(n) || this.builtins.has(n);
  }

  names(): string[] {
    return [...new Set([...this.builtins, ...this.local.keys()])].sort();
  }

  async get(name: string): Promise<ModuleDefinition> {
    const n = canonicalModuleName(name);
    const cached = this.loaded.get(n);
    if (cached) return cached;
    let url: string;
    if (this.local.has(n)) url = pathToFileURL(this.local.get(n)!).href;
    else if (this.builtins.has(n)) url = new URL(`../../modules/${n}.js`, import.meta.url).href;
    else throw new TsplayError('validation', `couldn't resolve module '${name}'.${didYouMean(n, this.names())}`);
    const mod = (await import(url)) as { default?: ModuleDefinition };
    const def = mod.default;
    if (!def || typeof def.plan !== 'function' || typeof def.name !== 'string') {
      throw new TsplayError('validation', `module file ${url} does not default-export defineModule({...})`);
    }
    this.loaded.set(n, def);
    return def;
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
