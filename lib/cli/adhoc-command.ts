/**
 * `tsplay adhoc PATTERN -m MODULE -a ARGS`: the `ansible` command. One task
 * run as a play over the hosts of the pattern, its results printed as
 * `ansible` prints them (lib/output/adhoc.ts), its exit code `ansible`'s.
 */
import { ExitCode, TsplayError } from '../errors.js';
import type { PlaybookRunOptions } from '../engine/options.js';
import { intOption, list, parse, type Options } from './args.js';
import { parseExtraVars } from './extra-vars.js';
import type { Io } from './io.js';
import { applyVaultOptions, vaultOptions, VAULT_USAGE } from './vault-options.js';
import { abortOnSignals } from './signals.js';
import { loadConfig } from '../config/load.js';
import { applyConfig } from './config-options.js';
import { askPasswords, connectionOptions, connectionRunOptions } from './connection-options.js';
import { parseYaml } from '../playbook/yaml-source.js';

export const ADHOC_USAGE = `Usage: tsplay adhoc <pattern> [-m MODULE] [-a ARGS] [options]

Runs one module on the hosts of a pattern, as Ansible's 'ansible' command.

  -m, --module-name NAME    The module (default: command)
  -a, --args ARGS           Its arguments: key=value pairs, free form (command, shell),
                            or a JSON/YAML mapping
  -i, --inventory SRC       Inventory file, directory or host list "a,b," (repeatable)
  -e, --extra-vars VARS     key=value, @file.yml or YAML/JSON (repeatable)
  -l, --limit PATTERN       Only these hosts (a host pattern)
  -C, --check               Predict, change nothing
  -D, --diff                Show the changes
  -o, --one-line            One line per host
  -f, --forks N             Hosts worked on at once (default 20)
  -b, --become              Run as another user (root by default)
      --become-user USER    The user to become
      --become-method M     sudo or su
  -K, --ask-become-pass     Ask for the become password
  -k, --ask-pass            Ask for the SSH password
  -u, --user USER           Remote user when the inventory names none
      --private-key FILE    SSH key when the inventory names none (also --key-file)
  -c, --connection TYPE     ssh or local, when the inventory names none
  -T, --timeout SECONDS     SSH connect timeout (default 10)
      --task-timeout SECONDS  Stop the task on a host after this long
${VAULT_USAGE}
  -v, -vv, -vvv             More output

Exit codes as ansible's: 0 ok, 2 a host failed, 4 a host unreachable, 5 a bad
option or a missing argument.`;

const options: Options = {
  'module-name': { type: 'string', short: 'm' },
  args: { type: 'string', short: 'a' },
  inventory: { type: 'string', short: 'i', multiple: true },
  'extra-vars': { type: 'string', short: 'e', multiple: true },
  limit: { type: 'string', short: 'l' },
  check: { type: 'boolean', short: 'C' },
  diff: { type: 'boolean', short: 'D' },
  'one-line': { type: 'boolean', short: 'o' },
  ...connectionOptions,
  'task-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...vaultOptions,
};

/** Modules that take their arguments as free text and need some, as ansible's check says. */
const NEEDS_ARGS = new Set(['command', 'shell', 'ansible.builtin.command', 'ansible.builtin.shell', 'ansible.legacy.command', 'ansible.legacy.shell']);
/** Actions ansible refuses ad hoc: they steer a playbook, and there is none. */
const PLAYBOOK_ONLY = /^(ansible\.(builtin|legacy)\.)?(include|include_tasks|include_role|import_tasks|import_role|import_playbook|meta)$/;

/** -a as ansible reads it: a JSON or YAML mapping when it looks like one, else the text (key=value pairs or free form). */
function moduleArgs(raw: string | undefined): unknown {
  if (raw === undefined || raw.trim() === '') return null;
  const t = raw.trim();
  if (t.startsWith('{')) {
    const data = parseYaml(t, '<-a>');
    if (data && typeof data === 'object' && !Array.isArray(data)) return data;
  }
  return raw;
}

export async function adhocCommand(argv: string[], io: Io): Promise<number> {
  const { values: given, positionals, verbosity } = parse(argv, options, ADHOC_USAGE);
  if (given.help) {
    io.out(ADHOC_USAGE + '\n');
    return ExitCode.ok;
  }
  const config = loadConfig();
  for (const w of config.warnings) io.err(`[WARNING]: ${w}\n`);
  const values = applyConfig(given, config);
  if (positionals.length !== 1) {
    throw new TsplayError('option', positionals.length ? `one host pattern, got ${positionals.length}: ${positionals.join(' ')}` : 'Missing target hosts', {
      hint: `name the hosts, e.g. tsplay adhoc all -m ping\n\n${ADHOC_USAGE}`,
      exitCode: 5,
    });
  }
  const module = (values['module-name'] as string | undefined) ?? 'command';
  const rawArgs = values.args as string | undefined;
  if (NEEDS_ARGS.has(module) && !rawArgs?.trim()) {
    throw new TsplayError('option', `No argument passed to ${module.replace(/^ansible\.(builtin|legacy)\./, '')} module`, { hint: `give the command with -a, e.g. tsplay adhoc all -a 'uptime'`, exitCode: 5 });
  }
  if (PLAYBOOK_ONLY.test(module)) {
    throw new TsplayError('option', `'${module}' is not a valid action for ad-hoc commands`, { hint: 'it steers a playbook: write a playbook and use tsplay run', exitCode: 5 });
  }
  // An unknown module is named here, once, before any host is touched (docs/differences.md).
  const { ModuleRegistry, localModuleDirs } = await import('../module/registry.js');
  const registry = new ModuleRegistry();
  for (const d of localModuleDirs(process.cwd())) registry.addLocalDir(d);
  if (!registry.has(module)) {
    const { didYouMean } = await import('../suggest.js');
    throw new TsplayError('validation', `couldn't resolve module/action '${module}'.${didYouMean(module, registry.names())}`, {
      hint: 'check the spelling (tsplay doc --list lists the modules), or put a .js module in a modules/ folder here',
    });
  }
  await applyVaultOptions(values);
  const { connectTimeoutMs, ...reach } = connectionRunOptions(values, config);
  const taskTimeout = intOption(values['task-timeout'], '--task-timeout');
  const inventory = list(values.inventory);
  const limit = values.limit as string | undefined;
  const { adhocReporter } = await import('../output/adhoc.js');
  const runOptions: PlaybookRunOptions = {
    playbook: {
      plays: [{ name: 'Ansible Ad-Hoc', hosts: positionals[0], gather_facts: false, tasks: [{ [module]: moduleArgs(rawArgs), ...(taskTimeout ? { timeout: taskTimeout } : {}) }] }],
      dir: process.cwd(),
    },
    inventory,
    extraVars: parseExtraVars(list(values['extra-vars'])),
    check: !!values.check,
    diff: !!values.diff,
    limit,
    verbosity,
    ...reach,
    connection: { connectTimeoutMs },
    reporters: [adhocReporter({ write: io.out, oneLine: !!values['one-line'], diff: !!values.diff })],
  };
  await askPasswords(values, runOptions.connection!);
  // What ansible says before it runs anything: no inventory, an empty one, a pattern that matches nothing.
  const { NO_INVENTORY, EMPTY_HOSTS } = await import('./inventory-checks.js');
  const { loadInventory, selectHosts } = await import('../inventory/index.js');
  if (!inventory.length) io.err(`[WARNING]: ${NO_INVENTORY}\n`);
  const loaded = await loadInventory(inventory);
  const selected = selectHosts(loaded, positionals[0], { limit });
  if (!selected.hosts.length) {
    if (!selectHosts(loaded, 'all').hosts.length) {
      io.err(`[WARNING]: ${EMPTY_HOSTS}\n`);
      return ExitCode.ok;
    }
    for (const w of selected.warnings) io.err(`[WARNING]: ${w}\n`);
    if (limit !== undefined) throw new TsplayError('runtime', 'Specified inventory, host pattern and/or --limit leaves us with no hosts to target.', { hint: `check the pattern and --limit '${limit}' against the inventory: tsplay inventory -i <inventory> --graph lists its hosts and groups` });
    io.err('[WARNING]: No hosts matched, nothing to do\n');
    return ExitCode.ok;
  }
  const controller = new AbortController();
  runOptions.signal = controller.signal;
  const stopHandling = abortOnSignals(controller, io.err, () => {});
  try {
    const { runPlaybook } = await import('../engine/run.js');
    return (await runPlaybook(runOptions)).exitCode;
  } finally {
    stopHandling();
  }
}
