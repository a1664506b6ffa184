/**
 * `config`: the value of one of the Ansible settings tsplay reads
 * (lib/config/settings.ts; `tsplay config dump` lists them), from ansible.cfg
 * and ANSIBLE_* as the run reads them: `lookup('config', 'DEFAULT_BECOME_USER')`.
 * With `plugin_type`/`plugin_name`, an option of the ssh connection or the sh
 * shell, the task's variables first (`ansible_user`, `ansible_port`,
 * `ansible_remote_tmp`), as Ansible's plugins take them. A setting tsplay
 * does not read is missing: `on_missing` says what then (error, warn, skip).
 */
import { loadConfig, type LoadedConfig } from '../../config/load.js';
import { maskText } from '../../util/secrets.js';
import { pyStr } from '../values.js';
import { lookupError, lookupFailure, onlyOptions, type LookupEnv, type LookupPlugin } from './types.js';

let loaded: LoadedConfig | undefined;

/** The configuration as the run read it: the same file and environment, read once. */
function config(): LoadedConfig {
  loaded ??= loadConfig();
  return loaded;
}

/** Plugin options: the task variables that set each, first found wins, then the setting behind it, then the plugin's default. */
const PLUGIN_OPTIONS: Record<string, Record<string, { vars: string[]; setting?: string; default?: unknown }>> = {
  'connection/ssh': {
    remote_user: { vars: ['ansible_user', 'ansible_ssh_user'], setting: 'DEFAULT_REMOTE_USER' },
    port: { vars: ['ansible_port', 'ansible_ssh_port'] },
    ssh_args: { vars: ['ansible_ssh_args'], setting: 'ssh_args' },
    ssh_common_args: { vars: ['ansible_ssh_common_args'], setting: 'ssh_common_args' },
    private_key_file: { vars: ['ansible_private_key_file', 'ansible_ssh_private_key_file'], setting: 'DEFAULT_PRIVATE_KEY_FILE' },
  },
  'shell/sh': {
    remote_tmp: { vars: ['ansible_remote_tmp'], default: '~/.ansible/tmp' },
  },
};

const MISSING = Symbol('missing');

/**
 * Names Ansible's lookup finds in its constants module but refuses, as they
 * are functions there, not settings: `Invalid setting "X" attempted`, whatever
 * on_missing says.
 */
const NOT_SETTINGS = new Set(['ConfigManager', 'Sequence', 'add_internal_fqcns', 'set_constant', 'to_text']);

function globalSetting(name: string): unknown {
  const v = config().values.get(name);
  return v ? (v.value ?? null) : MISSING;
}

function pluginOption(type: string, plugin: string, name: string, env: LookupEnv): unknown {
  const options = PLUGIN_OPTIONS[`${type}/${plugin}`];
  if (!options) throw lookupFailure(`Unable to load ${type} plugin "${plugin}"`, `the config lookup knows these plugins' options: ${Object.keys(PLUGIN_OPTIONS).join(', ')}`);
  const option = Object.hasOwn(options, name) ? options[name] : undefined;
  if (!option) return MISSING;
  for (const v of option.vars) {
    const value = env.variable(v);
    if (value !== undefined) return value;
  }
  if (option.setting) return globalSetting(option.setting);
  return option.default ?? null;
}

export const configLookup: LookupPlugin = (terms, kw, env) => {
  onlyOptions('config', kw, ['on_missing', 'plugin_type', 'plugin_name']);
  const onMissing = kw.on_missing ?? 'error';
  if (typeof onMissing !== 'string' || !['error', 'warn', 'skip'].includes(onMissing)) {
    throw lookupError(`Invalid value "${pyStr(onMissing)}" for configuration option "plugin_type: lookup plugin: config setting: on_missing ", valid values are: error, skip, warn`);
  }
  const { plugin_type: type, plugin_name: plugin } = kw;
  if ((type === undefined) !== (plugin === undefined)) throw lookupFailure('Both plugin_type and plugin_name are required, cannot use one without the other');
  const out: unknown[] = [];
  for (const term of terms) {
    if (typeof term !== 'string') throw lookupError(`Invalid setting identifier, "${pyStr(term)}" is not a string, its a ${typeof term === 'number' ? "<class 'int'>" : typeof term}`);
    if (type === undefined && NOT_SETTINGS.has(term)) throw lookupError(`Invalid setting "${term}" attempted`);
    const value = type === undefined ? globalSetting(term) : pluginOption(String(type), String(plugin), term, env);
    if (value !== MISSING) out.push(value);
    else if (onMissing === 'error') throw lookupError(`Unable to find setting ${term}`, 'tsplay config dump lists the settings tsplay reads');
    else if (onMissing === 'warn') process.stderr.write(`[WARNING]: ${maskText(`Skipping, did not find setting ${term}`)}\n`);
  }
  return out;
};
