/**
 * What no reporter may ever see. Applied once, in EventStream.emit, so the
 * plain lines, --json, the live view and a library user's own reporter all
 * get the same censored event and none of them can forget to censor.
 *
 * - A result of a task with `no_log` (task, block or play level) becomes
 *   Ansible's censored result: only `censored` plus `attempts`, `changed`
 *   and `retries`; its loop item is shown as `None`; its diff is dropped.
 *   An include's loop item reads `(censored due to no_log)`, as in Ansible.
 * - Known secrets (connection and become passwords from the inventory or a
 *   prompt, values decrypted from vault) are replaced by `********` in
 *   every string of every event, at any verbosity, errors included.
 */
import type { RunEvent } from './events.js';

export const CENSORED_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

/** Ansible's task_result._PRESERVE: the only keys a censored result keeps. */
const PRESERVE = ['attempts', 'changed', 'retries'];

export { MASK, SECRET_VARIABLES, maskSecrets, maskText, registerSecret } from '../util/secrets.js';
import { maskSecrets } from '../util/secrets.js';

/** Ansible's censored copy of a result. */
export function censoredResult(result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { censored: CENSORED_MESSAGE };
  for (const k of PRESERVE) if (Object.hasOwn(result, k)) out[k] = result[k];
  return out;
}

/** The event as every reporter must see it. */
export function censorEvent(event: RunEvent): RunEvent {
  let e = event;
  if (e.type === 'host_result' && e.noLog) {
    e = {
      ...e,
      result: censoredResult(e.result),
      ...(e.item !== undefined ? { item: 'None' } : {}),
      diff: undefined,
      files: undefined,
      // The censored result has no `results`, so Ansible prints a loop's closing line as any other.
      loopSummary: undefined,
      // Ansible drops _ansible_verbose_always with the rest: a censored debug prints a bare "ok:" line.
      verbose: e.status === 'failed' || e.status === 'unreachable',
    };
  }
  // Ansible's own wording for the item of an include with no_log.
  if (e.type === 'included' && e.noLog && e.item !== undefined) e = { ...e, item: '(censored due to no_log)' };
  return maskSecrets(e);
}
