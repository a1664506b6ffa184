/**
 * What must hold for any input, however hostile: the call returns or throws
 * an error the CLI reports as a user error (never exit 250, never a stack
 * trace), within a time bound, without changing Object.prototype, and
 * without a secret in anything printed.
 */
import { describeError } from '../../lib/cli/report-error.js';
import { prototypeSnapshot } from '../hostile/helpers.js';

/** A safety net against hangs, not a measurement: real cases take milliseconds. */
/** A hang detector, far above any normal run even on a loaded machine: speed is measured in benchmarks. */
export const BOUND_MS = 30_000;
export const SECRET = 'S3cr3t-Fuzz-Passw0rd';
const baseline = prototypeSnapshot();

export interface Outcome {
  /** Everything a user would read: printed results and the error report. */
  text: string;
  exitCode: number;
}

/** Runs `fn`; throws (failing the property) if an invariant is broken. */
export async function holds(what: string, fn: () => unknown | Promise<unknown>, printed: () => string = () => ''): Promise<Outcome> {
  const started = Date.now();
  let outcome: Outcome;
  try {
    await fn();
    outcome = { text: printed(), exitCode: 0 };
  } catch (e) {
    const { text, exitCode } = describeError(e, 0);
    outcome = { text: printed() + text, exitCode };
  }
  const took = Date.now() - started;
  const problems: string[] = [];
  if (outcome.exitCode === 250) problems.push('exit 250 (reported as a bug in tsplay)');
  if (/^\s+at .+:\d+:\d+\)?$/m.test(outcome.text)) problems.push('a stack trace in the output');
  if (/Maximum call stack|heap out of memory/.test(outcome.text)) problems.push('a crash message in the output');
  if (took > BOUND_MS) problems.push(`took ${took} ms`);
  if (prototypeSnapshot() !== baseline || ({} as Record<string, unknown>).polluted !== undefined) problems.push('Object.prototype changed');
  if (outcome.text.includes(SECRET)) problems.push('the secret is in the output');
  if (problems.length) throw new Error(`${what}: ${problems.join('; ')}\n--- output\n${outcome.text.slice(0, 2000)}`);
  return outcome;
}
