/**
 * `tsplay <command>`: dispatches to a command, and is the one place that
 * turns errors into messages and exit codes. Commands load lazily so
 * `tsplay --version` and `--help` stay fast.
 */
import { ExitCode, isTsplayError, TsplayError } from '../errors.js';
import { processIo, type Io } from './io.js';
import { describeError } from './report-error.js';
import { exitOnSignals } from './signals.js';
import { packageVersion } from '../output/package-files.js';

export const USAGE = `Usage: tsplay <command> [options]

Commands:
  run <playbook.yml>...   Run playbooks against an inventory (like ansible-playbook)
  adhoc <pattern>         Run one module on the hosts of a pattern (like ansible): -m MODULE -a ARGS
  inventory --list        Print the inventory as ansible-inventory does (--host H, --graph)
  doc <module>            Show a module's arguments and examples (--list for all)
  config dump             Show the ansible.cfg / ANSIBLE_* settings (--only-changed), or view the file
  audit RECORD [REAL]     Summarise a check run's record; with a real run's record, where they differ

Options:
  -h, --help              Show help (also: tsplay run --help)
      --version           Show the version

Exit codes: 0 ok, 1 error, 2 a host failed or a bad option, 4 a host unreachable
or a parse/validation error, 5 a bad ansible.cfg, 99 interrupted, 250 unexpected;
tsplay audit: 3 the real run differs from the prediction.`;

export function version(): string {
  return packageVersion();
}

export { processIo, type Io } from './io.js';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  const verbosity = argv.filter((a) => /^-v+$/.test(a)).reduce((n, a) => n + a.length - 1, 0);
  // A signal before the command's own handling (while the inventory loads) still ends with exit 99.
  const stopExiting = exitOnSignals(io.err);
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
      case 'adhoc':
        return await (await import('./adhoc-command.js')).adhocCommand(rest, io);
      case 'inventory':
        return await (await import('./inventory-command.js')).inventoryCommand(rest, io);
      case 'doc':
        return await (await import('./doc-command.js')).docCommand(rest, io);
      case 'audit':
        return await (await import('./audit-command.js')).auditCommand(rest, io);
      case 'config':
        return await (await import('./config-command.js')).configCommand(rest, io);
      default:
        throw new TsplayError('option', `unknown command '${command}'`, { hint: `use one of: run, adhoc, inventory, doc, config, audit (see tsplay --help)` });
    }
  } catch (e) {
    const { text, exitCode } = describeError(e, verbosity);
    // An error before the run's record was set up (a bad option) still gives --json a whole record.
    if (wantsJson(command, rest) && !(e && typeof e === 'object' && (e as Record<symbol, unknown>)[Symbol.for('tsplay.recorded')])) {
      const { writeJsonError } = await import('../output/json.js');
      const { message, pos, hint } = isTsplayError(e) ? e : { message: text.replace(/^ERROR! /, '').split('\n')[0], pos: undefined, hint: undefined };
      writeJsonError(io.out, { message, ...(pos ? { pos } : {}), ...(hint ? { hint } : {}), exitCode }, argv);
    }
    io.err(text + '\n');
    return exitCode;
  } finally {
    stopExiting();
  }
}

/** `tsplay run ... --json`: an error that ends the run is also an event on stdout. */
function wantsJson(command: string | undefined, rest: string[]): boolean {
  if (command !== 'run' && command !== 'playbook') return false;
  const end = rest.indexOf('--');
  return (end < 0 ? rest : rest.slice(0, end)).includes('--json');
}
