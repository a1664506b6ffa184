/** `tsplay inventory`: the same JSON and views as ansible-inventory. */
import { ExitCode, TsplayError } from '../errors.js';
import { inventoryToAnsibleList, loadInventory, type Inventory } from '../inventory/index.js';
import { list, parse, type Options } from './args.js';
import type { Io } from './io.js';
import { visibleText } from '../output/visible-text.js';
import { isSet, loadConfig, setting } from '../config/load.js';

const USAGE = `Usage: tsplay inventory -i SRC [-i SRC...] (--list | --host HOST | --graph [GROUP])`;

const options: Options = {
  inventory: { type: 'string', short: 'i', multiple: true },
  list: { type: 'boolean' },
  host: { type: 'string' },
  graph: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function graph(inv: Inventory, group: string, depth: number, out: string[]): void {
  const g = inv.groups.get(group);
  if (!g) return;
  out.push(`${'  |'.repeat(depth)}${depth ? '--' : ''}@${group}:`);
  for (const child of g.children) graph(inv, child, depth + 1, out);
  for (const h of g.hosts) out.push(`${'  |'.repeat(depth + 1)}--${h}`);
}

export async function inventoryCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, options, USAGE);
  if (values.help) {
    io.out(USAGE + '\n');
    return ExitCode.ok;
  }
  // Without -i, ansible.cfg's inventory (or ANSIBLE_INVENTORY), as ansible-inventory reads it.
  const config = loadConfig();
  for (const w of config.warnings) io.err(`[WARNING]: ${w}\n`);
  const sources = list(values.inventory);
  const inv = await loadInventory(sources.length || !isSet(config, 'DEFAULT_HOST_LIST') ? sources : setting<string[]>(config, 'DEFAULT_HOST_LIST'));
  if (values.list) {
    io.out(JSON.stringify(inventoryToAnsibleList(inv), null, 4) + '\n');
  } else if (values.host) {
    const host = String(values.host);
    if (!inv.hosts.has(host)) throw new TsplayError('option', `you must pass a single valid host to --host parameter, '${host}' is not in the inventory`);
    io.out(JSON.stringify(inv.hostVars(host), null, 4) + '\n');
  } else if (values.graph) {
    const lines: string[] = [];
    graph(inv, positionals[0] ?? 'all', 0, lines);
    io.out(visibleText(lines.join('\n')) + '\n');
  } else {
    throw new TsplayError('option', 'no action given', { hint: USAGE });
  }
  return ExitCode.ok;
}
