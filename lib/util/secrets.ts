/**
 * Every secret the process has learnt, and masking them in any text or
 * value. Known secrets are connection and become passwords from the
 * inventory or a prompt, and values decrypted from vault; the output masks
 * them (lib/output/censor.ts), and so does every error message.
 */
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
