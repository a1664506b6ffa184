/**
 * `ini`: values of a controller INI file (lib/template/lookups/ini-parser.ts
 * reads it as Python's configparser does). Options as keywords or inline
 * (`'user section=prod file=users.ini'`): `section` (default `global`),
 * `file` (`ansible.ini`), `default` (`''`), `re` (the term is a regex
 * matched at the start of each key of the section: every value found),
 * `type=properties` (a file of key=value lines, no sections),
 * `case_sensitive`, `allow_no_value`/`allow_none`, `encoding`.
 */
import { pyPattern } from '../safe-regex.js';
import { findControllerFile, readControllerText } from './find-file.js';
import { iniGet, iniItems, parseIni, type Ini } from './ini-parser.js';
import { boolOption, lookupError, lookupFailure, type LookupPlugin } from './types.js';

const OPTIONS = ['type', 'file', 'section', 're', 'encoding', 'default', 'case_sensitive', 'allow_no_value', 'allow_none'] as const;

/** Ansible's _parse_params: words of an inline term, each `name=` word starting a new option, other words joined to the one before. */
function inlineParams(term: string): string[] {
  const params = new Map<string, string>();
  const order: string[] = [];
  let current = 'key';
  term.split(/\s+/).filter(Boolean).forEach((phrase, i) => {
    if (phrase.includes('=')) for (const k of OPTIONS) if (phrase.includes(`${k}=`)) current = k;
    if (i === 0 || !params.get(current)) {
      params.set(current, phrase);
      order.push(current);
    } else params.set(current, `${params.get(current)} ${phrase}`);
  });
  return order.map((k) => params.get(k)!);
}

export const ini: LookupPlugin = (terms, kw, env) => {
  for (const k of Object.keys(kw)) if (!(OPTIONS as readonly string[]).includes(k)) throw lookupFailure(`Invalid options for lookup 'ini': ${k}`, `the options of 'ini' are: ${OPTIONS.join(', ')}`);
  const opts: Record<string, unknown> = { type: 'ini', file: 'ansible.ini', section: 'global', re: false, encoding: 'utf-8', default: '', case_sensitive: false, ...kw };
  const out: unknown[] = [];
  for (const raw of terms) {
    const term = String(raw);
    let key = term;
    if (term.includes('=') || term.trim().includes(' ')) {
      let found = false;
      for (const param of inlineParams(term)) {
        if (param.includes('=')) {
          const parts = param.split('=');
          if (parts.length !== 2) throw lookupFailure(`Could not use '${param}' from '${term}': too many values to unpack (expected 2)`);
          if (!(OPTIONS as readonly string[]).includes(parts[0])) throw lookupFailure(`${parts[0]} is not a valid option.`);
          opts[parts[0]] = parts[1];
        } else if (!found) {
          key = param;
          found = true;
        }
      }
      if (!found) throw lookupFailure(`No key to lookup was provided as first term with in string inline options: ${term}`);
    }
    const file = String(opts.file);
    const path = findControllerFile(file, 'files', env);
    if (!path) throw lookupFailure(`could not locate file in lookup: ${file}`, `relative names are looked for in files/ beside the playbook, then beside it: ${env.searchPath.join(', ')}`);
    const properties = opts.type === 'properties';
    const section = properties ? 'java_properties' : String(opts.section);
    const text = (properties ? '[java_properties]\n' : '') + readControllerText(path, 'ini');
    const caseSensitive = boolOption(opts.case_sensitive, false);
    let parsed: Ini;
    try {
      parsed = parseIni(text, { caseSensitive, allowNoValue: boolOption(opts.allow_no_value ?? opts.allow_none, false), source: '<???>' });
    } catch (e) {
      const message = (e as Error).message;
      // configparser's DuplicateOptionError, which Ansible reports as its own lookup error.
      if (/^While reading .* option '.*' in section '.*' already exists$/.test(message)) {
        throw lookupError(`Duplicate option in '${file}': ${message}`, 'keep one line per option in a section (case_sensitive=true tells Key from key)');
      }
      throw e;
    }
    // Inline values stay text, as in Ansible: any non-empty re= (even 'False') turns the regex on.
    const isRegex = typeof opts.re === 'string' ? opts.re !== '' : boolOption(opts.re, false);
    if (isRegex) {
      const pattern = pyPattern(key);
      for (const [k, v] of iniItems(parsed, section, file)) if (pattern.matchStart(k) && v !== null) out.push(v);
      continue;
    }
    const v = iniGet(parsed, section, caseSensitive ? key : key.toLowerCase(), file);
    const value = v === undefined ? opts.default : v;
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
};
