/** `tsplay config dump [--only-changed]` and `tsplay config view`: the settings as ansible-config shows them. */
import { readFileSync } from 'node:fs';
import { ExitCode, TsplayError } from '../errors.js';
import { loadConfig, type SettingValue } from '../config/load.js';
import { parse, type Options } from './args.js';
import type { Io } from './io.js';

export const CONFIG_USAGE = `Usage: tsplay config <dump|view> [options]

  dump                      Every setting tsplay reads: NAME(source) = value
      --only-changed        Only the settings not at their default (also --changed-only)
  view                      The ansible.cfg in use, as it is written

The file is found as Ansible finds it: ANSIBLE_CONFIG, ./ansible.cfg,
~/.ansible.cfg, /etc/ansible/ansible.cfg (docs/configuration.md).`;

const options: Options = {
  'only-changed': { type: 'boolean' },
  'changed-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** A value as Python prints it, so the lines match ansible-config's. */
export function pythonRepr(v: unknown): string {
  if (v === undefined || v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `[${v.map((x) => `'${String(x).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
  return String(v);
}

function line(v: SettingValue): string {
  return `${v.def.name}(${v.origin}) = ${pythonRepr(v.value)}`;
}

export async function configCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, options, CONFIG_USAGE);
  if (values.help) {
    io.out(CONFIG_USAGE + '\n');
    return ExitCode.ok;
  }
  const [action] = positionals;
  if (action !== 'dump' && action !== 'view') {
    throw new TsplayError('option', action ? `unknown config action '${action}'` : 'no config action given', { hint: `use dump or view\n\n${CONFIG_USAGE}` });
  }
  const config = loadConfig();
  for (const w of config.warnings) io.err(`[WARNING]: ${w}\n`);
  if (action === 'view') {
    if (!config.file) throw new TsplayError('missing-file', 'No config file found', { hint: 'set ANSIBLE_CONFIG or create ./ansible.cfg' });
    io.out(readFileSync(config.file, 'utf8'));
    return ExitCode.ok;
  }
  const onlyChanged = !!(values['only-changed'] || values['changed-only']);
  const shown = [...config.values.values()].filter((v) => !onlyChanged || v.origin !== 'default').sort((a, b) => (a.def.name < b.def.name ? -1 : 1));
  // CONFIG_FILE is always shown first, with an empty origin, as ansible-config does.
  io.out(`CONFIG_FILE() = ${config.file ?? 'None'}\n`);
  for (const v of shown) io.out(line(v) + '\n');
  return ExitCode.ok;
}
