/**
 * How a run ends when it is told to: Ctrl-C (SIGINT), `kill`/`timeout`
 * (SIGTERM) and a dropped terminal or SSH session (SIGHUP) all stop the run
 * the same way: the abort signal closes every connection, which kills the
 * commands still running on the hosts and locally, and the exit code is 99.
 * A second signal exits at once, without waiting for that cleanup.
 */
import { ExitCode } from '../errors.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How many abortOnSignals handlers are installed: while one is, it decides what a signal does. */
let aborting = 0;

/** Aborts `controller` on the first signal; returns a function that removes the handlers. */
export function abortOnSignals(controller: AbortController, err: (s: string) => void, before?: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // The operator asked twice: do not wait for connections to close.
      process.exit(ExitCode.interrupted);
    }
    // The live view takes its lines off the screen first, so the message is not drawn over.
    before?.();
    err(signal === 'SIGINT' ? '\n[ERROR]: User interrupted execution\n' : `\n[ERROR]: Received ${signal}, stopping\n`);
    controller.abort();
  };
  for (const s of SIGNALS) process.on(s, handler);
  aborting++;
  return () => {
    aborting--;
    for (const s of SIGNALS) process.off(s, handler);
  };
}

/**
 * Before a command sets up its own stopping (abortOnSignals), there is nothing
 * to close: a signal (one heard while a large inventory loads, for example)
 * ends the process at once with the same message and exit code 99, rather
 * than the shell's 128+n of a process killed by it. While abortOnSignals is
 * installed, this one leaves the signal to it.
 */
export function exitOnSignals(err: (s: string) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (aborting > 0) return;
    err(signal === 'SIGINT' ? '\n[ERROR]: User interrupted execution\n' : `\n[ERROR]: Received ${signal}, stopping\n`);
    process.exit(ExitCode.interrupted);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
}
