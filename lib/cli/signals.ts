/**
 * How a run ends when it is told to: Ctrl-C (SIGINT), `kill`/`timeout`
 * (SIGTERM) and a dropped terminal or SSH session (SIGHUP) all stop the run
 * the same way: the abort signal closes every connection, which kills the
 * commands still running on the hosts and locally, and the exit code is 99.
 * A second signal exits at once, without waiting for that cleanup.
 */
import { ExitCode } from '../errors.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

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
  return () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
}
