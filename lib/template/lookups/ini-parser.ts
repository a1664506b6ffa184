/**
 * An INI file read as Python's configparser.ConfigParser reads it, with its
 * defaults: `key = value` or `key: value`, keys lower-cased unless
 * case-sensitive, `#`/`;` comment lines, indented continuation lines,
 * `[DEFAULT]` values seen in every section, `%(name)s` interpolation, and
 * a duplicate section or option an error.
 */
import { lookupError, lookupFailure } from './types.js';

export interface IniOptions {
  caseSensitive: boolean;
  allowNoValue: boolean;
  /** Shown in errors: the file as the user named it. */
  source: string;
}

/** Sections in file order, each its options in order; null for a key without a value (allow_no_value). */
export type Ini = Map<string, Map<string, string | null>>;

const SECTION = /^\[(?<name>.+)\]/;
const OPTION = /^(?<key>.*?)\s*(?<sep>[=:])\s*(?<value>.*)$/;

export function parseIni(text: string, o: IniOptions): Ini {
  const ini: Ini = new Map([['DEFAULT', new Map()]]);
  const seenSections = new Set<string>();
  let section: Map<string, string | null> | undefined;
  let sectionName = '';
  let lastKey: string | undefined;
  let keyIndent = 0;
  /** Continuation lines of the last option, blank ones kept until a non-blank one follows. */
  let pendingBlank = 0;
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const stripped = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    if (!stripped || /^[#;]/.test(stripped)) {
      if (!stripped && lastKey !== undefined) pendingBlank++;
      return;
    }
    if (section && lastKey !== undefined && indent > keyIndent && section.get(lastKey) !== null) {
      section.set(lastKey, `${section.get(lastKey)}${'\n'.repeat(pendingBlank + 1)}${stripped}`);
      pendingBlank = 0;
      return;
    }
    pendingBlank = 0;
    keyIndent = indent;
    const header = SECTION.exec(stripped);
    if (header) {
      sectionName = header.groups!.name;
      if (seenSections.has(sectionName)) throw lookupFailure(`While reading from '${o.source}' [line ${String(lineNo).padStart(2)}]: section '${sectionName}' already exists`);
      seenSections.add(sectionName);
      section = ini.get(sectionName) ?? new Map();
      ini.set(sectionName, section);
      lastKey = undefined;
      return;
    }
    if (!section) throw lookupFailure(`File contains no section headers.\nfile: '${o.source}', line: ${lineNo}\n'${raw}\\n'`, "an ini file starts with a [section]; use type='properties' for a file of key=value lines");
    const m = OPTION.exec(stripped);
    let key: string;
    let value: string | null;
    if (m && m.groups!.key) {
      key = m.groups!.key;
      value = m.groups!.value;
    } else if (o.allowNoValue) {
      key = stripped;
      value = null;
    } else {
      throw lookupFailure(`Source contains parsing errors: '${o.source}'\n\t[line ${String(lineNo).padStart(2)}]: '${raw}\\n'`, 'every line of a section is key=value (allow_no_value=true accepts a bare key)');
    }
    key = o.caseSensitive ? key : key.toLowerCase();
    if (section.has(key)) {
      throw lookupFailure(`While reading from '${o.source}' [line ${String(lineNo).padStart(2)}]: option '${key}' in section '${sectionName}' already exists`);
    }
    section.set(key, value);
    lastKey = key;
  });
  return ini;
}

/** configparser's BasicInterpolation of one value: `%(name)s` from the section (then DEFAULT), `%%` a percent sign. */
function interpolate(value: string, section: string, ini: Ini, depth = 0): string {
  if (depth > 10) throw lookupFailure(`Recursion limit exceeded in value substitution: section: [${section}], value: ${value}`);
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const next = value[i + 1];
    if (next === '%') {
      out += '%';
      i++;
      continue;
    }
    const ref = /^%\((?<name>[^)]+)\)s/.exec(value.slice(i));
    if (!ref) throw lookupFailure(`'%' must be followed by '%' or '(', found: '${value.slice(i)}'`);
    const name = ref.groups!.name.toLowerCase();
    const found = lookupOption(ini, section, name);
    if (found === undefined || found === null) throw lookupFailure(`Bad value substitution: option '${name}' in section '${section}' contains an interpolation key '${name}' which is not a valid option name.`);
    out += interpolate(found, section, ini, depth + 1);
    i += ref[0].length - 1;
  }
  return out;
}

function lookupOption(ini: Ini, section: string, key: string): string | null | undefined {
  const own = ini.get(section);
  if (own?.has(key)) return own.get(key);
  const defaults = ini.get('DEFAULT')!;
  return defaults.has(key) ? defaults.get(key) : undefined;
}

/** configparser's get(): the value (interpolated), null for a bare key, undefined when the option is missing. Throws for a missing section. */
export function iniGet(ini: Ini, section: string, key: string, file: string): string | null | undefined {
  if (section !== 'DEFAULT' && !ini.has(section)) throw lookupError(`No section '${section}' in ${file}`);
  const v = lookupOption(ini, section, key);
  return typeof v === 'string' ? interpolate(v, section, ini) : v;
}

/** configparser's items(section): DEFAULT's options first, then the section's, values interpolated. */
export function iniItems(ini: Ini, section: string, file: string): [string, string | null][] {
  if (section !== 'DEFAULT' && !ini.has(section)) throw lookupError(`No section '${section}' in ${file}`);
  const merged = new Map([...ini.get('DEFAULT')!, ...(ini.get(section) ?? new Map())]);
  return [...merged.keys()].map((k) => {
    const v = merged.get(k)!;
    return [k, v === null ? null : interpolate(v, section, ini)];
  });
}
