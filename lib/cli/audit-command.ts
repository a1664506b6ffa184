/**
 * `tsplay audit RECORD [REAL]`: a check run's record read back as what
 * would change, per host and per file, unit and etcd member; with the real
 * run's record too, where the outcome differs from the prediction.
 * Exit codes: 0 as predicted (or one record), 3 the outcome differs,
 * 4 a record that is not one (the file:line says where), 1 an unreadable file,
 * 2 a bad option.
 */
import { ExitCode, TsplayError } from '../errors.js';
import { parse, type Options } from './args.js';
import type { Io } from './io.js';
import { visibleText } from '../output/visible-text.js';

export const AUDIT_USAGE = `Usage: tsplay audit RECORD [REAL_RECORD] [options]

  RECORD is what 'tsplay run --check --json' printed or 'tsplay run --check --log FILE'
  wrote. Alone, it is summarised: per host, each file, systemd unit, etcd member and
  other change the run would make. With the record of the real run that followed,
  the two are compared: where the outcome differs from the prediction.

      --run ID          The run to read from RECORD, when the file holds several (default: the last)
      --real-run ID     The run to read from REAL_RECORD (default: the last)
  -h, --help            Show this help

Exit codes: 0 the outcome is as predicted (or only one record given), 3 it differs,
4 a file is not a whole run record (the message names its file:line), 1 a file cannot
be read, 2 a bad option.`;

const options: Options = {
  run: { type: 'string' },
  'real-run': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export async function auditCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, options, AUDIT_USAGE);
  if (values.help) {
    io.out(AUDIT_USAGE + '\n');
    return ExitCode.ok;
  }
  if (positionals.length < 1 || positionals.length > 2) {
    throw new TsplayError('option', positionals.length ? 'tsplay audit takes one or two records' : 'no record given', { hint: `name the check run's record, and the real run's to compare\n\n${AUDIT_USAGE}` });
  }
  const { readRecord, pickRun } = await import('../audit/record.js');
  const { summarise, compare, AUDIT_DIFFERS } = await import('../audit/report.js');
  const check = pickRun(readRecord(positionals[0]), positionals[0], values.run as string | undefined);
  if (positionals.length === 1) {
    io.out(visibleText(summarise(check).join('\n')) + '\n');
    return ExitCode.ok;
  }
  const real = pickRun(readRecord(positionals[1]), positionals[1], values['real-run'] as string | undefined);
  if (!check.start.check) throw new TsplayError('option', `the first record (${positionals[0]}, run ${check.id}) is of a real run, not of a check run`, { hint: 'give the check run first and the real run second' });
  if (real.start.check) throw new TsplayError('option', `the second record (${positionals[1]}, run ${real.id}) is of a check run, not of a real run`, { hint: 'give the check run first and the real run second' });
  const result = compare(check, real);
  io.out([...summarise(check), '', ...result.lines].join('\n') + '\n');
  return result.differ ? AUDIT_DIFFERS : ExitCode.ok;
}
