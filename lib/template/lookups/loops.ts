/**
 * The lookups that are also `with_<name>` loops (items, dict, sequence,
 * first_found, fileglob, ...): one implementation, in
 * lib/template/lookups/with-lookups.ts, serves both forms.
 */
import { isLoopLookup, runLookup } from './with-lookups.js';
import type { Kwargs } from '../context.js';
import { lookupFailure, type LookupEnv, type LookupPlugin } from './types.js';

/** first_found's keywords (files=, paths=, skip=) as Ansible applies them: to each string term, or alone. */
function firstFoundTerms(terms: unknown[], kw: Kwargs): unknown[] {
  if (!Object.keys(kw).length) return terms;
  const bad = Object.keys(kw).filter((k) => !['files', 'paths', 'skip'].includes(k));
  if (bad.length) throw lookupFailure(`Invalid options for lookup 'first_found': ${bad.join(', ')}`);
  if (!terms.length) return [kw];
  return terms.map((t) => (typeof t === 'string' ? { ...kw, files: kw.files ?? t } : t));
}

export function loopLookup(name: string): LookupPlugin | undefined {
  if (!isLoopLookup(name)) return undefined;
  return (terms: unknown[], kw: Kwargs, env: LookupEnv) => {
    if (name === 'first_found') terms = firstFoundTerms(terms, kw);
    else if (Object.keys(kw).length) throw lookupFailure(`Invalid options for lookup '${name}': ${Object.keys(kw).join(', ')}`, `'${name}' takes no options`);
    // The terms are values already: file names are not rendered again.
    return runLookup(name, terms, { searchPath: [...env.searchPath], render: (t) => t });
  };
}
