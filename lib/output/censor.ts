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

export const MASK = '********';

/** The inventory variables whose values are passwords. */
export const SECRET_VARIABLES = ['ansible_password', 'ansible_ssh_pass', 'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass', 'ansible_su_pass'];

/**
 * Every secret the process has learnt. Process-wide: a vault value is
 * decrypted while a file is read, before any run's event stream exists, and
 * masking a secret of another run costs nothing.
 */
const secrets = new Set<string>();
let ordered: string[] = [];

export function registerSecret(value: unknown): void {
  if (typeof value !== 'string' || value === '' || secrets.has(value)) return;
  secrets.add(value);
  // Longest first, so a secret that contains another is masked whole.
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** Replaces every known secret in a string. */
export function maskText(s: string): string {
  for (const secret of ordered) if (s.includes(secret)) s = s.split(secret).join(MASK);
  return s;
}

/** Masks secrets in strings and keys of a value, copying only what changes. */
export function maskSecrets<T>(v: T): T {
  if (ordered.length === 0) return v;
  return mask(v, new WeakMap()) as T;
}

function mask(v: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof v === 'string') return maskText(v);
  if (v === null || typeof v !== 'object') return v;
  if (seen.has(v)) return seen.get(v);
  if (Array.isArray(v)) {
    seen.set(v, v);
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const r = mask(x, seen);
      if (r !== x) (out ??= v.slice())[i] = r;
    });
    seen.set(v, out ?? v);
    return out ?? v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  seen.set(v, v);
  const obj = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(obj)) {
    const mk = maskText(k);
    const mv = mask(obj[k], seen);
    if (mk !== k || mv !== obj[k]) {
      out ??= Object.fromEntries(Object.keys(obj).map((key) => [key, obj[key]]));
      if (mk !== k) delete out[k];
      Object.defineProperty(out, mk, { value: mv, enumerable: true, writable: true, configurable: true });
    }
  }
  seen.set(v, out ?? v);
  return out ?? v;
}

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
