/**
 * Warnings found while reading YAML (a duplicate key). Reading happens deep
 * inside loaders that have no reporter at hand, so a caller that wants the
 * warnings runs the load inside `collectLoadWarnings`; without one they go to
 * stderr as Ansible prints them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const sink = new AsyncLocalStorage<(message: string) => void>();

export function warnLoad(message: string): void {
  const to = sink.getStore();
  if (to) to(message);
  else process.stderr.write(`[WARNING]: ${message}\n`);
}

/** Runs `fn`, handing every load warning it raises to `onWarning` instead of stderr. */
export function collectLoadWarnings<T>(onWarning: (message: string) => void, fn: () => T): T {
  return sink.run(onWarning, fn);
}
