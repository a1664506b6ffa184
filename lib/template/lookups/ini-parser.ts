/**
 * The `ini` lookup's view of an INI file, as Python's
 * configparser.ConfigParser gives it with its defaults: the file read by
 * lib/formats/ini.ts (keys lower-cased unless case-sensitive, a duplicate
 * section or option an error), `[DEFAULT]` values seen in every section and
 * `%(name)s` interpolation.
 */
import { IniSyntaxError, iniValues, parseIni as parseIniSections } from '../../formats/ini.js';
import { lookupError, lookupFailure } from './types.js';

export interface IniOptions {
  caseSensitive: boolean;
  allowNoValue: boolean;
  /** Shown in errors: the file as the user named it. */
  source: string;
}

/** Sections in file order, each its options in order; null for a key without a value (allow_no_value). */
export type Ini = Map<string, Map<string, string | null>>;

/** configparser's own error text for what it cannot read, as Ansible shows it. */
function failure(e: IniSyntaxError, source: string): Error {
  const at = `[line ${String(e.line).padStart(2)}]`;
  switch (e.kind) {
    case 'no-section':
      return lookupFailure(`File contains no section headers.\nfile: '${source}', line: ${e.line}\n'${e.text}\\n'`, "an ini file starts with a [section]; use type='properties' for a file of key=value lines");
    case 'bad-line':
      return lookupFailure(`Source contains parsing errors: '${source}'\n\t${at}: '${e.text}\\n'`, 'every line of a section is key=value (allow_no_value=true accepts a bare key)');
    case 'duplicate-section':
      return lookupFailure(`While reading from '${source}' ${at}: section '${e.section}' already exists`);
    case 'duplicate-option':
      return lookupFailure(`While reading from '${source}' ${at}: option '${e.key}' in section '${e.section}' already exists`);
  }
}

export function parseIni(text: string, o: IniOptions): Ini {
  let ini: Ini;
  try {
    ini = iniValues(parseIniSections(text, { caseSensitive: o.caseSensitive, allowNoValue: o.allowNoValue }));
  } catch (e) {
    throw e instanceof IniSyntaxError ? failure(e, o.source) : e;
  }
  if (!ini.has('DEFAULT')) ini.set('DEFAULT', new Map());
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
