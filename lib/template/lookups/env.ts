/** `env`: controller environment variables; an unset one is `default` ('' unless given), as Ansible's env lookup. */
import { onlyOptions, type LookupPlugin } from './types.js';

export const env: LookupPlugin = (terms, kw) => {
  onlyOptions('env', kw, ['default']);
  const dflt = kw.default === undefined ? '' : kw.default;
  return terms.map((term) => {
    const name = String(term);
    return Object.hasOwn(process.env, name) ? process.env[name] : dflt;
  });
};
