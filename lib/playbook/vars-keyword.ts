/** The `vars` keyword: a mapping, or a list of mappings merged in order, as Ansible reads it. */
import { assignOwn } from '../util/own.js';

export function varsMapping(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (!Array.isArray(v)) return v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const m of v) assignOwn(out, m as Record<string, unknown>);
  return out;
}
