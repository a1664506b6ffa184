/**
 * The `module_defaults` keyword (play, block, role, task): default
 * arguments per module, written with the module's short or qualified name.
 * A task's own arguments win over them, an inner level's over an outer's
 * (lib/engine/module-defaults.ts). Action groups (`group/...`) are refused by
 * name: tsplay has none of the collections they stand for.
 */
import { TsplayError, type SourcePos } from '../errors.js';
import { keyPos, posOf } from './yaml-source.js';

export type ModuleDefaults = Record<string, Record<string, unknown>>;

/** Reads the keyword's value (a mapping, or a list of mappings merged in order); undefined when not given. */
export function parseModuleDefaults(raw: unknown, pos: SourcePos): ModuleDefaults | undefined {
  if (raw === undefined || raw === null) return undefined;
  const out: ModuleDefaults = Object.create(null);
  for (const map of Array.isArray(raw) ? raw : [raw]) {
    if (!map || typeof map !== 'object' || Array.isArray(map)) {
      throw new TsplayError('validation', 'module_defaults must be a mapping of module names to their default arguments', { pos: posOf(map) ?? pos, hint: "write e.g. 'module_defaults: {file: {mode: \"0644\"}}'" });
    }
    for (const [name, args] of Object.entries(map as Record<string, unknown>)) {
      if (name.startsWith('group/')) {
        throw new TsplayError('validation', `module_defaults action groups are not supported: ${name}`, {
          pos: keyPos(map, name) ?? pos,
          hint: 'give the defaults for each module by its name (e.g. file:, copy:) instead of the group',
        });
      }
      if (args !== null && (typeof args !== 'object' || Array.isArray(args))) {
        throw new TsplayError('validation', `the module_defaults of '${name}' must be a mapping of arguments`, { pos: keyPos(map, name) ?? pos, hint: `write e.g. '${name}: {key: value}'` });
      }
      out[name] = { ...(out[name] ?? {}), ...((args as Record<string, unknown>) ?? {}) };
    }
  }
  return out;
}
