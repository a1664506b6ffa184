/** --json: one event per line, with a timestamp, for audits and machines. */
import type { SourcePos } from '../errors.js';
import { maskSecrets } from '../util/secrets.js';
import type { Reporter } from './events.js';

export function jsonReporter(write: (s: string) => void): Reporter {
  return (e) => write(JSON.stringify({ time: new Date().toISOString(), ...e }) + '\n');
}

export interface ErrorEvent {
  type: 'error';
  message: string;
  pos?: SourcePos;
  hint?: string;
  exitCode: number;
}

/**
 * A run that stops on an error (a playbook that does not parse, a bad -e)
 * still ends its JSON stream: an `error` event saying what and where, then
 * the `playbook_end` event every stream ends with, so a reader of the audit
 * log never waits for an end that does not come.
 */
export function writeJsonError(write: (s: string) => void, error: Omit<ErrorEvent, 'type'>): void {
  const time = new Date().toISOString();
  // Not an event of the stream, so the censor has not seen it: known secrets are masked here.
  const event: ErrorEvent = maskSecrets({ type: 'error', ...error });
  write(JSON.stringify({ time, ...event }) + '\n');
  write(JSON.stringify({ time, type: 'playbook_end', exitCode: error.exitCode, durationMs: 0 }) + '\n');
}
