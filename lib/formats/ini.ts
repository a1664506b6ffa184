/**
 * INI text read by the rules of Python's configparser, the one reader behind
 * ansible.cfg (lib/config/ini.ts), the `ini` lookup
 * (lib/template/lookups/ini-parser.ts) and yum_repository's .repo files
 * (lib/module/files/repo-ini.ts). Each caller sets the few options Ansible
 * sets on its ConfigParser and turns an IniSyntaxError into its own message.
 *
 * Written here rather than taken from npm: `ini`, `js-ini`, `configparser`
 * and `config-ini-parser` know no indented continuation lines, no strict
 * duplicate checks and give no line numbers, which configparser's dialect
 * and tsplay's errors need.
 *
 * The rules: `[section]` headers (the name is everything up to the last `]`);
 * `key = value` or `key: value`, split at the first delimiter, both sides
 * stripped; `#` and `;` comment lines; a line indented deeper than the
 * option above it continues that option's value (joined with newlines);
 * options before any header are an error.
 */

export interface IniReadOptions {
  /** configparser's optionxform: keys are lower-cased unless this is true. */
  caseSensitive?: boolean;
  /** configparser's inline_comment_prefixes: a prefix at a line's start or after whitespace starts a comment (ansible.cfg: `;`). */
  inlineCommentPrefixes?: readonly string[];
  /** configparser's allow_no_value: a line with no delimiter is an option whose value is null. */
  allowNoValue?: boolean;
  /** configparser's strict (default true): a section or an option twice is an error; false: the section goes on, the later value wins. */
  strict?: boolean;
  /** configparser's empty_lines_in_values (default true): blank lines inside a continued value are kept; false: a blank line (not a comment line) ends the value. */
  emptyLinesInValues?: boolean;
  /** Pass over options before any header and lines that are neither header nor option, instead of failing (what .repo files get). */
  lenient?: boolean;
}

export interface IniValue {
  /** null: an option with no value (allowNoValue). */
  value: string | null;
  /** 1-based line of the option's first line. */
  line: number;
}

/** Sections in file order, each its options in file order. */
export type IniSections = Map<string, Map<string, IniValue>>;

export type IniSyntaxKind = 'no-section' | 'bad-line' | 'duplicate-section' | 'duplicate-option';

/** What configparser raises (MissingSectionHeaderError, ParsingError, DuplicateSectionError, DuplicateOptionError), with where. */
export class IniSyntaxError extends Error {
  constructor(
    readonly kind: IniSyntaxKind,
    /** 1-based line number. */
    readonly line: number,
    /** The line as written. */
    readonly text: string,
    readonly section?: string,
    readonly key?: string,
  ) {
    super(`line ${line}: ${kind}: ${text}`);
    this.name = 'IniSyntaxError';
  }
}

const SECTION = /^\[(?<name>.+)\]/;
const OPTION = /^(?<key>.*?)\s*[=:]\s*(?<value>.*)$/;

/** The line without an inline comment (configparser: a prefix at the start or after whitespace). */
function withoutInlineComment(line: string, prefixes: readonly string[]): string {
  let end = line.length;
  for (const prefix of prefixes) {
    for (let i = line.indexOf(prefix); i !== -1 && i < end; i = line.indexOf(prefix, i + 1)) {
      if (i === 0 || /\s/.test(line[i - 1]!)) {
        end = i;
        break;
      }
    }
  }
  return line.slice(0, end);
}

export function parseIni(text: string, o: IniReadOptions = {}): IniSections {
  const strict = o.strict ?? true;
  const emptyLinesInValues = o.emptyLinesInValues ?? true;
  const sections: IniSections = new Map();
  const seen = new Set<string>();
  let section: Map<string, IniValue> | undefined;
  let sectionName = '';
  let option: IniValue | undefined;
  /** Indentation of the last header or option line; a deeper line continues the option. */
  let indentLevel = 0;
  /** Blank lines inside the current value, kept only when a continuation line follows. */
  let blanks = 0;
  // Python's universal newlines.
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const lineNo = i + 1;
    const isComment = /^[#;]/.test(raw.trim());
    const value = isComment ? '' : withoutInlineComment(raw, o.inlineCommentPrefixes ?? []).trim();
    if (!value) {
      const blank = raw.trim() === '';
      if (blank && !emptyLinesInValues) indentLevel = Infinity;
      else if (blank && option?.value != null) blanks++;
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    if (section && option && option.value !== null && indent > indentLevel) {
      option.value = `${option.value}${'\n'.repeat(blanks + 1)}${value}`;
      blanks = 0;
      return;
    }
    blanks = 0;
    indentLevel = indent;
    const header = SECTION.exec(value);
    if (header) {
      sectionName = header.groups!.name;
      if (strict && seen.has(sectionName)) throw new IniSyntaxError('duplicate-section', lineNo, raw, sectionName);
      seen.add(sectionName);
      section = sections.get(sectionName) ?? new Map();
      sections.set(sectionName, section);
      option = undefined;
      return;
    }
    if (!section) {
      if (o.lenient) return;
      throw new IniSyntaxError('no-section', lineNo, raw);
    }
    const m = OPTION.exec(value);
    let key: string;
    let optionValue: string | null;
    if (m && m.groups!.key) {
      key = m.groups!.key;
      optionValue = m.groups!.value;
    } else if (!m && o.allowNoValue) {
      // A delimiter with no key before it stays an error, as in configparser.
      key = value;
      optionValue = null;
    } else {
      if (o.lenient) return;
      throw new IniSyntaxError('bad-line', lineNo, raw, sectionName);
    }
    if (!o.caseSensitive) key = key.toLowerCase();
    if (strict && section.has(key)) throw new IniSyntaxError('duplicate-option', lineNo, raw, sectionName, key);
    option = { value: optionValue, line: lineNo };
    section.set(key, option);
  });
  return sections;
}

/** The values alone: section → key → value. */
export function iniValues(sections: IniSections): Map<string, Map<string, string | null>> {
  return new Map([...sections].map(([name, options]) => [name, new Map([...options].map(([k, v]) => [k, v.value]))]));
}

/** As configparser's write(): `key = value`, a value's further lines indented by a tab, a blank line after each section. */
export function writeIni(sections: ReadonlyMap<string, ReadonlyMap<string, string>>): string {
  let out = '';
  for (const [name, options] of sections) {
    out += `[${name}]\n`;
    for (const [k, v] of options) out += `${k} = ${v.replace(/\n/g, '\n\t')}\n`;
    out += '\n';
  }
  return out;
}
