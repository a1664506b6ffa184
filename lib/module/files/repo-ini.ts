/**
 * A .repo file as Python's configparser reads and writes it (what Ansible's
 * yum_repository uses), through lib/formats/ini.ts: sections in file order,
 * keys lower-cased, a value's continuation lines joined with newlines,
 * comments and blank lines dropped; written as `key = value` with
 * continuation lines indented by a tab and a blank line after each section.
 * Unlike configparser's defaults, a section or key twice merges (the later
 * value wins) and a line that is no setting is passed over, rather than
 * failing the read.
 */
import { iniValues, parseIni as parseIniSections, writeIni } from '../../formats/ini.js';

export { writeIni };

export type Ini = Map<string, Map<string, string>>;

export function parseIni(text: string): Ini {
  // Without allowNoValue every value is a string.
  return iniValues(parseIniSections(text, { strict: false, emptyLinesInValues: false, lenient: true })) as Ini;
}

/** Sections and keys sorted, as Ansible's diff shows a repo file. */
export function dumpIni(ini: Ini): string {
  let out = '';
  for (const name of [...ini.keys()].sort()) {
    out += `[${name}]\n`;
    for (const k of [...ini.get(name)!.keys()].sort()) out += `${k} = ${ini.get(name)!.get(k)}\n`;
    out += '\n';
  }
  return out;
}
