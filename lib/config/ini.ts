/**
 * Reads ansible.cfg the way Ansible's parser (Python's configparser, with
 * `;` as the inline comment prefix and no interpolation) reads it, keeping
 * the line of every key so warnings and errors can name it.
 *
 * Written here rather than taken from npm: the `ini` package accepts what
 * configparser rejects (keys before any section, duplicate keys, a key with
 * no value), knows no continuation lines and gives no line numbers.
 */
import { TsplayError } from '../errors.js';

export interface IniEntry {
  section: string;
  /** Lower-cased, as configparser's optionxform does. */
  key: string;
  value: string;
  line: number;
}

const SECTION = /^\[([^\]]+)\]/;
const KEY_VALUE = /^(.*?)\s*[=:]\s*(.*)$/;

/** Drops a `;` comment that follows whitespace, as configparser's inline_comment_prefixes does. */
function stripInlineComment(s: string): string {
  const m = /\s;/.exec(s);
  return (m ? s.slice(0, m.index) : s).trim();
}

export function parseIni(text: string, file: string): IniEntry[] {
  const entries: IniEntry[] = [];
  const seen = new Set<string>();
  const sections = new Set<string>();
  let section: string | undefined;
  let last: IniEntry | undefined;
  const fail = (line: number, message: string, hint: string): never => {
    throw new TsplayError('parse', `Error reading config file (${file}:${line}): ${message}`, {
      pos: { file, line, col: 1 },
      hint,
      // ansible-playbook and ansible-config exit 5 on an unreadable ansible.cfg.
      exitCode: 5,
    });
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '') {
      last = undefined; // a blank line ends a value (continuations must follow at once here)
      continue;
    }
    if (/^[#;]/.test(trimmed)) continue;
    const indented = /^\s/.test(raw);
    if (indented && last) {
      const more = stripInlineComment(trimmed);
      if (more) last.value = last.value ? `${last.value}\n${more}` : more;
      continue;
    }
    const header = SECTION.exec(trimmed);
    if (header) {
      section = header[1];
      if (sections.has(section)) fail(line, `section '${section}' appears twice`, 'merge the two sections into one');
      sections.add(section);
      last = undefined;
      continue;
    }
    if (section === undefined) fail(line, `'${trimmed}' comes before any [section] header`, 'put settings under a header such as [defaults]');
    const kv = KEY_VALUE.exec(trimmed);
    if (!kv || kv[1] === '') fail(line, `'${trimmed}' is not 'key = value'`, 'write the setting as key = value, or comment the line out with #');
    const key = kv![1].toLowerCase();
    const id = `${section}\u0000${key}`;
    if (seen.has(id)) fail(line, `'${key}' is set twice in [${section}]`, 'keep one of the two lines');
    seen.add(id);
    last = { section: section!, key, value: stripInlineComment(kv![2]), line };
    entries.push(last);
  }
  return entries;
}
