/**
 * known_hosts lines as Ansible's known_hosts module compares them: a line is
 * [@marker] host type key [comment]; two lines match when marker, host (a
 * hashed host stands for the one looked up), type and key are the same.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface HostKey {
  options?: string;
  host: string;
  type: string;
  key: string;
}

export function normalizeKey(line: string): HostKey | undefined {
  const k = line.trim().split(/\s+/);
  const at = k[0]?.startsWith('@') ? 1 : 0;
  if (k.length < at + 3) return undefined;
  return { ...(at ? { options: k[0] } : {}), host: k[at], type: k[at + 1], key: k[at + 2] };
}

export function sameKey(a: HostKey, b: HostKey): boolean {
  return a.options === b.options && a.host === b.host && a.type === b.type && a.key === b.key;
}

/** The key line with its host field replaced by OpenSSH's hashed form of `host` (|1|salt|hmac). */
export function hashHostKey(host: string, key: string): string {
  const salt = randomBytes(20);
  const hashed = createHmac('sha1', salt).update(host).digest();
  const parts = key.trim().split(/\s+/);
  const i = parts[0].startsWith('@') ? 1 : 0;
  parts[i] = `|1|${salt.toString('base64')}|${hashed.toString('base64')}`;
  return parts.join(' ');
}

/** What `ssh-keygen -F` printed: the matching lines and the line number of each. */
export function parseFound(out: string): Array<{ line: number; text: string }> {
  const found: Array<{ line: number; text: string }> = [];
  let line = 0;
  for (const l of out.split('\n')) {
    if (l === '') continue;
    if (l.startsWith('#')) line = Number(/found: line (\d+)/.exec(l)?.[1] ?? 0);
    else found.push({ line, text: l });
  }
  return found;
}
