/**
 * Ansible's boolean() for keyword and connection-variable values: yes/no,
 * true/false, on/off, y/n, 1/0 in any case. undefined when the value is none
 * of those (a template, say), so the caller decides what that means.
 */
export function ansibleBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['yes', 'true', 'on', 'y', '1'].includes(s)) return true;
    if (['no', 'false', 'off', 'n', '0', ''].includes(s)) return false;
  }
  return undefined;
}
