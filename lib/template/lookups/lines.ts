/** `lines`: the output of a controller command, one item per line (Ansible's pipe split with splitlines). */
import { runController } from './pipe.js';
import { onlyOptions, type LookupPlugin } from './types.js';

export const lines: LookupPlugin = (terms, kw, env) => {
  onlyOptions('lines', kw, []);
  return terms.flatMap((term) => {
    const out = runController(String(term), env, 'lines');
    return out.split(/\r\n|\r|\n/).filter((_l, i, all) => i < all.length - 1 || _l !== '');
  });
};
