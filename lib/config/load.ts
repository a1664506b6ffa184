/**
 * Finds ansible.cfg where Ansible finds it and gives every setting tsplay
 * knows its value and where that value came from (env > ansible.cfg >
 * default), with a warning for each setting tsplay does not act on.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TsplayError } from '../errors.js';
import { parseIni, type IniEntry } from './ini.js';
import { SETTINGS, type SettingDef } from './settings.js';

export interface SettingValue {
  def: SettingDef;
  value: unknown;
  /** `default`, `env: ANSIBLE_X`, or the config file's path (as ansible-config prints it). */
  origin: string;
  /** file:line for a value from the config file. */
  where?: string;
}

export interface LoadedConfig {
  file?: string;
  values: Map<string, SettingValue>;
  warnings: string[];
}

function home(env: NodeJS.ProcessEnv): string {
  return env.HOME || os.homedir();
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile() || file === '/dev/null';
  } catch {
    return false;
  }
}

/** $VAR, ${VAR} and a leading ~ expanded, then made absolute from `base` (Ansible's unfrackpath). */
export function expandPath(p: string, base: string, env: NodeJS.ProcessEnv): string {
  let s = p.replace(/\{\{CWD\}\}/g, process.cwd());
  s = s.replace(/\$(\w+)|\$\{(\w+)\}/g, (all, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? all);
  if (s === '~' || s.startsWith('~/')) s = home(env) + s.slice(1);
  return path.resolve(base, s);
}

/** The file Ansible would read: ANSIBLE_CONFIG (a file or a folder), ./ansible.cfg unless the folder is world-writable, ~/.ansible.cfg, /etc/ansible/ansible.cfg. */
export function findConfigFile(env: NodeJS.ProcessEnv = process.env, warnings: string[] = []): string | undefined {
  const candidates: string[] = [];
  let fromEnv: string | undefined;
  if (env.ANSIBLE_CONFIG !== undefined) {
    fromEnv = expandPath(env.ANSIBLE_CONFIG, process.cwd(), env);
    try {
      if (statSync(fromEnv).isDirectory()) fromEnv = path.join(fromEnv, 'ansible.cfg');
    } catch {
      // not there: the next places are tried, as Ansible does
    }
    candidates.push(fromEnv);
  }
  const cwd = process.cwd();
  const cwdCfg = path.join(cwd, 'ansible.cfg');
  let skippedCwd = false;
  try {
    if (statSync(cwd).mode & 0o002) skippedCwd = existsSync(cwdCfg);
    else candidates.push(cwdCfg);
  } catch {
    // an unreadable working directory is no source
  }
  candidates.push(path.join(home(env), '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  const found = candidates.find(readable);
  if (skippedCwd && (fromEnv === undefined || found !== fromEnv)) {
    warnings.push(`Ansible is being run in a world writable directory (${cwd}), ignoring it as an ansible.cfg source. For more information see https://docs.ansible.com/ansible/devel/reference_appendices/config.html#cfg-in-world-writable-dir`);
  }
  return found;
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.at(-1) === s[0] ? s.slice(1, -1) : s;
}

/** A raw string as the setting's type (Ansible's ensure_type); `base` is where relative paths start. */
function convert(def: SettingDef, raw: string, base: string, env: NodeJS.ProcessEnv, source: string): unknown {
  const bad = (why: string) =>
    new TsplayError('option', `Invalid type for configuration option setting: ${def.name} (from ${source}): ${why}`, {
      hint: `give ${def.name} a ${def.type} value`,
      exitCode: 5,
    });
  switch (def.type) {
    case 'bool':
      return ['y', 'yes', 'on', '1', 'true', 't'].includes(raw.trim().toLowerCase());
    case 'int': {
      if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw bad(`'${raw}' is not a whole number`);
      return Number(raw);
    }
    case 'list':
      return raw.split(',').map((x) => unquote(x.trim()));
    case 'path':
      return expandPath(raw, base, env);
    case 'pathlist':
      return raw.split(',').map((x) => expandPath(x.trim(), base, env));
    case 'pathspec':
      return raw.split(':').map((x) => expandPath(x, base, env));
    default:
      return raw;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const warnings: string[] = [];
  const file = findConfigFile(env, warnings);
  let entries: IniEntry[] = [];
  if (file) {
    if (!/\.(cfg|ini)$/.test(file) && file !== '/dev/null') {
      throw new TsplayError('option', `Unsupported configuration file extension for ${file}: ${path.extname(file) || '(none)'}`, { hint: 'name the file ansible.cfg (or *.cfg / *.ini)', exitCode: 5 });
    }
    entries = parseIni(readFileSync(file, 'utf8'), file);
  }
  const known = new Set<IniEntry>();
  const values = new Map<string, SettingValue>();
  for (const def of SETTINGS) {
    let v: SettingValue = { def, value: def.default, origin: 'default' };
    const entry = def.ini.map((k) => entries.find((e) => e.section === k.section && e.key === k.key)).find(Boolean);
    for (const k of def.ini) for (const e of entries) if (e.section === k.section && e.key === k.key) known.add(e);
    if (entry && file) {
      const where = `${file}:${entry.line}`;
      v = { def, value: convert(def, unquote(entry.value), path.dirname(file), env, file), origin: file, where };
    }
    const envName = def.env.find((n) => env[n] !== undefined);
    if (envName) v = { def, value: convert(def, env[envName]!, process.cwd(), env, `env: ${envName}`), origin: `env: ${envName}` };
    values.set(def.name, v);
    const why = v.origin !== 'default' ? def.unsupported?.(v.value) : undefined;
    if (why) warnings.push(`${def.name} (${v.where ?? v.origin}): ${why}`);
  }
  for (const e of entries) {
    if (!known.has(e)) warnings.push(`${file}:${e.line}: setting '${e.key}' in [${e.section}] is not supported by tsplay and was ignored`);
  }
  return { ...(file ? { file } : {}), values, warnings };
}

/** The value of a setting by its Ansible name. */
export function setting<T>(config: LoadedConfig, name: string): T {
  return config.values.get(name)?.value as T;
}

/** Whether a setting was given (in the environment or the file), not left at its default. */
export function isSet(config: LoadedConfig, name: string): boolean {
  return (config.values.get(name)?.origin ?? 'default') !== 'default';
}
