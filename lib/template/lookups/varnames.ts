/** `varnames`: the names of the variables the task sees that a Python regex finds (re.search), for each pattern in turn. */
import { pyPattern, type PyPattern } from '../safe-regex.js';
import { lookupFailure, onlyOptions, type LookupPlugin } from './types.js';

export const varnames: LookupPlugin = (terms, kw, env) => {
  onlyOptions('varnames', kw, []);
  const names = Object.keys(env.vars);
  return terms.flatMap((term) => {
    if (typeof term !== 'string') throw lookupFailure(`Invalid setting identifier, "${String(term)}" is not a string, it is a ${Array.isArray(term) ? 'list' : typeof term}`);
    let pattern: PyPattern;
    try {
      pattern = pyPattern(term);
      pattern.search('');
    } catch (e) {
      throw lookupFailure(`Unable to use "${term}" as a search parameter: ${(e as Error).message}`);
    }
    return names.filter((n) => pattern.search(n) !== null);
  });
};
