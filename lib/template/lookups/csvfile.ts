/**
 * `csvfile`: the `col` column (0-based, default 1) of the first row whose
 * first column is the key, in a controller file read as Python's csv module
 * reads it (excel dialect: `"` quotes, `""` inside quotes). The delimiter is
 * a TAB by default, as in Ansible. Options as keywords or inline
 * (`'Li file=elements.csv delimiter=,'`); no row: `default`, else nothing.
 */
import { parseKeyValues } from '../../util/free-form.js';
import { findControllerFile, readControllerText } from './find-file.js';
import { lookupFailure, type LookupPlugin } from './types.js';

const OPTIONS = ['col', 'default', 'delimiter', 'file', 'encoding'] as const;

/** The rows of CSV text, as Python's csv.reader with the excel dialect and this delimiter. */
export function csvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (fieldStarted || row.length) row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (fieldStarted || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Python's int() of the col option. */
function columnOf(col: unknown): number {
  const text = String(col).trim();
  if (!/^[+-]?\d+$/.test(text)) throw lookupFailure(`csvfile: invalid literal for int() with base 10: '${String(col)}'`);
  return Number(text);
}

export const csvfile: LookupPlugin = (terms, kw, env) => {
  for (const k of Object.keys(kw)) if (!(OPTIONS as readonly string[]).includes(k)) throw lookupFailure(`Invalid options for lookup 'csvfile': ${k}`, `the options of 'csvfile' are: ${OPTIONS.join(', ')}`);
  const out: unknown[] = [];
  for (const term of terms) {
    const { args, rest } = parseKeyValues(String(term));
    if (!rest) throw lookupFailure('Search key is required but was not found');
    const opts: Record<string, unknown> = { col: '1', delimiter: 'TAB', file: 'ansible.csv', encoding: 'utf-8', ...kw };
    for (const [name, value] of Object.entries(args)) {
      if (!(OPTIONS as readonly string[]).includes(name)) throw lookupFailure(`${name} is not a valid option`);
      opts[name] = value;
    }
    const delimiter = opts.delimiter === 'TAB' || opts.delimiter === '\\t' ? '\t' : String(opts.delimiter);
    if (delimiter.length !== 1) throw lookupFailure('csvfile: "delimiter" must be a 1-character string');
    const path = findControllerFile(String(opts.file), 'files', env);
    if (!path) throw lookupFailure(`csvfile: [Errno 2] No such file or directory: '${String(opts.file)}'`, `relative names are looked for in files/ beside the playbook, then beside it: ${env.searchPath.join(', ')}`);
    const row = csvRows(readControllerText(path, 'csvfile'), delimiter).find((r) => r.length && r[0] === rest);
    let value: unknown = opts.default;
    if (row) {
      const col = columnOf(opts.col);
      const at = col < 0 ? row.length + col : col;
      if (at < 0 || at >= row.length) throw lookupFailure('csvfile: list index out of range');
      value = row[at];
    }
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
  }
  return out;
};
