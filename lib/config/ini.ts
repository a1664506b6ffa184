/**
 * Reads ansible.cfg as Ansible's parser does: Python's configparser
 * (lib/formats/ini.ts) with `;` as the inline comment prefix and no
 * interpolation, keeping the line of every key so warnings and errors can
 * name it.
 */
import { TsplayError } from '../errors.js';
import { IniSyntaxError, parseIni as parseIniSections } from '../formats/ini.js';

export interface IniEntry {
  section: string;
  /** Lower-cased, as configparser's optionxform does. */
  key: string;
  value: string;
  line: number;
}

function failure(e: IniSyntaxError, file: string): TsplayError {
  const text = e.text.trim();
  const [message, hint] = {
    'no-section': [`'${text}' comes before any [section] header`, 'put settings under a header such as [defaults]'],
    'bad-line': [`'${text}' is not 'key = value'`, 'write the setting as key = value, or comment the line out with #'],
    'duplicate-section': [`section '${e.section}' appears twice`, 'merge the two sections into one'],
    'duplicate-option': [`'${e.key}' is set twice in [${e.section}]`, 'keep one of the two lines'],
  }[e.kind];
  return new TsplayError('parse', `Error reading config file (${file}:${e.line}): ${message}`, {
    pos: { file, line: e.line, col: 1 },
    hint,
    // ansible-playbook and ansible-config exit 5 on an unreadable ansible.cfg.
    exitCode: 5,
  });
}

/** Every setting in file order. A blank line ends a value: continuation lines must follow at once. */
export function parseIni(text: string, file: string): IniEntry[] {
  let sections;
  try {
    sections = parseIniSections(text.replace(/^\uFEFF/, ''), { inlineCommentPrefixes: [';'], emptyLinesInValues: false });
  } catch (e) {
    throw e instanceof IniSyntaxError ? failure(e, file) : e;
  }
  const entries: IniEntry[] = [];
  for (const [section, options] of sections) {
    // `key =` with the value on the lines below: the value, without the empty first line.
    for (const [key, { value, line }] of options) entries.push({ section, key, value: value!.replace(/^\n/, ''), line });
  }
  return entries;
}
