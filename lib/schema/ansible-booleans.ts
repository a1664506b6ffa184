/**
 * Module arguments from the k=v form (`copy: dest=/x backup=yes`) and from
 * templates arrive as strings; Ansible's modules read yes/no, on/off, y/n,
 * 1/0 as booleans for boolean arguments, and so does tsplay. Only arguments
 * whose schema type is boolean are touched.
 */
import { ansibleBool } from '../util/ansible-bool.js';

export function coerceAnsibleBooleans(schema: Record<string, unknown>, args: Record<string, unknown>): void {
  const props = (schema.properties ?? {}) as Record<string, { type?: unknown }>;
  for (const [k, v] of Object.entries(args)) {
    if (typeof v !== 'string' || props[k]?.type !== 'boolean') continue;
    const b = ansibleBool(v);
    if (b !== undefined) args[k] = b;
  }
}
