/** `vars`: variables by name, rendered as when used directly (Ansible templates them), with `default` for a missing one. */
import { undefinedError } from '../values.js';
import { lookupFailure, onlyOptions, type LookupPlugin } from './types.js';

export const vars: LookupPlugin = (terms, kw, env) => {
  onlyOptions('vars', kw, ['default']);
  return terms.map((term) => {
    if (typeof term !== 'string') throw lookupFailure(`Invalid setting identifier, "${String(term)}" is not a string, it is a ${Array.isArray(term) ? 'list' : typeof term}`);
    const v = env.variable(term);
    if (v !== undefined) return v;
    if (kw.default !== undefined) return kw.default;
    throw undefinedError(term, `No variable found with this name: ${term}`);
  });
};
