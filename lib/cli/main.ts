/**
 * `tsplay <command>`: dispatches to a command, and is the one place that
 * turns errors into messages and exit codes. Commands load lazily so
 * `tsplay --version` and `--help` stay fast.
 */
import { readFileSync } from 'node:fs';
import { ExitCode, TsplayError } from '../errors.js';
import { quietWriter } from './closed-output.js';
import { describeError } from './report-error.js';

export const USAGE = `Usage: tsplay <command> [options]

Commands:
  run <playbook.yml>...   Run playbooks against an inventory (like ansible-playbook)
  inventory --list        Print the inventory as ansible-inventory does (--host H, --graph)
  doc <module>            Show a module's arguments and examples (--list for all)

Options:
  -h, --help              Show help (also: tsplay run --help)
      --version           Show the version

Exit codes: 0 ok, 1 error, 2 a host failed or a bad option, 4 a host unreachable
or a parse/validation error, 99 interrupted, 250 unexpected.`;

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

export const processIo: Io = {
  out: quietWriter(process.stdout),
  err: quietWriter(process.stderr),
  isTTY: !!process.stdout.isTTY,
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  const verbosity = argv.filter((a) => /^-v+$/.test(a)).reduce((n, a) => n + a.length - 1, 0);
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE + '\n');
        return command === undefined ? ExitCode.badOption : ExitCode.ok;
      case '--version':
      case 'version':
        io.out(`tsplay ${version()}\n`);
        return ExitCode.ok;
      case 'run':
      case 'playbook':
        return await (await import('./run-command.js')).runCommand(rest, io);
      case 'inventory':
        return await (await import('./inventory-command.js')).inventoryCommand(rest, io);
      case 'doc':
        return await (await import('./doc-command.js')).docCommand(rest, io);
      default:
        throw new TsplayError('option', `unknown command '${command}'`, { hint: `use one of: run, inventory, doc (see tsplay --help)` });
    }
  } catch (e) {
    const { text, exitCode } = describeError(e, verbosity);
    io.err(text + '\n');
    return exitCode;
  }
}
