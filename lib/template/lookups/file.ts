/** `file`: a controller file's text, stripped at the end (rstrip=true) and optionally at the start (lstrip). */
import { findControllerFile, readControllerText } from './find-file.js';
import { boolOption, lookupFailure, onlyOptions, type LookupPlugin } from './types.js';

export const file: LookupPlugin = (terms, kw, env) => {
  onlyOptions('file', kw, ['lstrip', 'rstrip']);
  return terms.map((term) => {
    const path = findControllerFile(String(term), 'files', env);
    if (!path) throw lookupFailure(`could not locate file in lookup: ${String(term)}`, `relative names are looked for in files/ beside the playbook, then beside it: ${env.searchPath.join(', ')}`);
    let text = readControllerText(path, 'file');
    if (boolOption(kw.lstrip, false)) text = text.trimStart();
    if (boolOption(kw.rstrip, true)) text = text.trimEnd();
    return text;
  });
};
