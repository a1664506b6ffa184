// systemd unit files and drop-ins: the ExecStart= systemd actually runs, and
// the drop-in the 3.11 "restore etcd quorum" procedure writes to force a new
// cluster. The documents build it with
//   sed -n '/ExecStart/s/"$/ --force-new-cluster"/p' /usr/lib/systemd/system/etcd.service
// i.e. the unit's ExecStart line with the flag put before its closing double
// quote; this module does the same from the effective line, and appends the
// flag at the end of a line that does not end in a quote (where sed would
// silently print nothing).

import { refuseLineBreaks, splitLines, visible } from './lines.js';

const READER = "systemd's unit file parser";

/**
 * A setting this editor writes must be one line as systemd reads it: no line
 * break or control character, no trailing backslash (which joins the next
 * line), a plain key, a section name without brackets.
 */
export function checkUnitSetting(section: string, key: string, value: string): void {
  refuseLineBreaks('the section name', section, 'posix', READER, true);
  if (!/^[^\[\]]+$/.test(section)) throw new Error(`the section name ${visible(section)} cannot be a unit file header ([Name] without brackets inside)`);
  if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new Error(`the key ${visible(key)} is not a unit file setting name (letters, digits, - and _)`);
  refuseLineBreaks(`the value of ${key}=`, value, 'posix', READER, true);
  if (value.endsWith('\\')) throw new Error(`the value of ${key}= ${visible(value)} ends with a backslash, which systemd reads as "continued on the next line"`);
}

/**
 * Unit file text for these sections and settings, checked as systemd will
 * read it: exactly these settings, in this order, in these sections.
 */
export function renderUnit(sections: Readonly<Record<string, Readonly<Record<string, string | number | boolean | readonly (string | number | boolean)[]>>>>): string {
  const want: UnitSetting[] = [];
  const text = Object.entries(sections)
    .map(([section, kv]) => {
      const lines = [`[${section}]`];
      for (const [key, v] of Object.entries(kv)) {
        for (const x of Array.isArray(v) ? v : [v]) {
          const value = String(x);
          checkUnitSetting(section, key, value);
          lines.push(`${key}=${value}`);
          want.push({ section, key, value: value.trim() });
        }
      }
      return lines.join('\n') + '\n';
    })
    .join('\n');
  if (JSON.stringify(parseUnit(text)) !== JSON.stringify(want)) throw new Error('the settings would not read back as written in the unit file; check the section names, keys and values');
  return text;
}

export interface UnitSetting {
  section: string;
  key: string;
  /** The value after '=', continuation lines joined as systemd joins them. */
  value: string;
}

/** Settings in file order. '#' and ';' start comments; a trailing backslash continues the line. */
export function parseUnit(src: string): UnitSetting[] {
  const out: UnitSetting[] = [];
  let section = '';
  const lines = splitLines(src).map((l) => l.text);
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text === '' || text.startsWith('#') || text.startsWith(';')) continue;
    const h = /^\[([^\]]+)\]$/.exec(text);
    if (h) {
      section = h[1]!;
      continue;
    }
    const eq = text.indexOf('=');
    if (eq < 0) continue;
    let value = text.slice(eq + 1).trim();
    // systemd replaces "\\\n" with a space and keeps reading; comment lines inside are skipped.
    let more = value.endsWith('\\');
    while (more && i + 1 < lines.length) {
      const next = lines[++i]!;
      if (/^\s*[#;]/.test(next)) continue;
      value = value.slice(0, -1) + ' ' + next.trim();
      more = value.endsWith('\\');
    }
    if (more) value = value.slice(0, -1);
    out.push({ section, key: text.slice(0, eq).trim(), value });
  }
  return out;
}

export interface UnitSource {
  /** Path or name, used in messages only. */
  path: string;
  text: string;
}

/**
 * The ExecStart= commands in force after the unit file and its drop-ins, the
 * drop-ins given in the order systemd reads them (file name order). An empty
 * `ExecStart=` clears the list, as in systemd.
 */
export function effectiveExecStart(unit: UnitSource, dropIns: readonly UnitSource[] = []): string[] {
  let list: string[] = [];
  for (const src of [unit, ...dropIns]) {
    for (const s of parseUnit(src.text)) {
      if (s.section !== 'Service' || s.key !== 'ExecStart') continue;
      list = s.value === '' ? [] : [...list, s.value];
    }
  }
  return list;
}

/** The flag placed as the documents' sed places it: before a closing double quote, else at the end. */
export function appendToExecStart(command: string, flag: string): string {
  const words = flag.trim();
  // Already there (a drop-in written earlier): adding it twice would change nothing but the text.
  if (command.split(/[\s"]+/).includes(words)) return command;
  if (command.endsWith('"')) return command.slice(0, -1) + ' ' + words + '"';
  return command + ' ' + words;
}

/**
 * The drop-in text: `[Service]`, an empty `ExecStart=` to clear the unit's
 * own, then the effective command with the flag. A unit with several
 * ExecStart= lines (Type=oneshot) is refused: which one to change is a choice
 * the caller must make.
 */
export function execStartDropIn(unit: UnitSource, dropIns: readonly UnitSource[], flag: string): string {
  checkUnitSetting('Service', 'ExecStart', flag);
  const cmds = effectiveExecStart(unit, dropIns);
  if (cmds.length === 0) throw new Error(`${unit.path} has no ExecStart= in [Service]`);
  if (cmds.length > 1) throw new Error(`${unit.path} runs ${cmds.length} ExecStart= commands; exec_start_append needs exactly one`);
  const command = appendToExecStart(cmds[0]!, flag);
  // The unit's own command is data from the host too: it must still be one setting.
  checkUnitSetting('Service', 'ExecStart', command);
  return `[Service]\nExecStart=\nExecStart=${command}\n`;
}

/** The directories systemd reads a system unit from, most important first. */
export const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
