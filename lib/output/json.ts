/** --json: one event per line, with a timestamp, for audits and machines. */
import type { Reporter } from './events.js';

export function jsonReporter(write: (s: string) => void): Reporter {
  return (e) => write(JSON.stringify({ time: new Date().toISOString(), ...e }) + '\n');
}
