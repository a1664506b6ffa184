/**
 * Ansible's one-line argument form: `debug: msg="hello world"` or
 * `command: ls -l chdir=/tmp`, read as Ansible's parse_kv reads it. A module
 * with a free form keeps its non-k=v words as one string with its newlines
 * and spaces intact, so a `shell: |` block runs line by line, not as one line.
 */
import { TsplayError } from '../errors.js';

/** The k=v words Ansible takes out of a free-form command line; any other x=y word stays part of the command. */
export const FREE_FORM_OPTION_KEYS = ['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends'] as const;

/** Where a quote opened in `token` (or earlier) is still open at its end, as Ansible tracks it: a quote after a backslash does not count. */
function quoteState(token: string, open: string | null): string | null {
  for (let i = 0; i < token.length; i++) {
    const ch = token[i];
    if ((ch === '"' || ch === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (!open) open = ch;
      else if (ch === open) open = null;
    }
  }
  return open;
}

function countOf(s: string, sub: string): number {
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

function jinjaDepth(token: string, depth: number, open: string, close: string): number {
  const diff = countOf(token, open) - countOf(token, close);
  return diff === 0 ? depth : Math.max(0, depth + diff);
}

/**
 * Splits on single spaces, line by line, and glues back the pieces that sit
 * inside quotes or `{{ }}` / `{% %}` / `{# #}`. Each word keeps its trailing
 * newline and any run of extra spaces, so joinArgs() gives back the text as
 * written. A lone `\` at the end of a line joins it to the next one.
 */
export function splitArgs(text: string): string[] {
  const params: string[] = [];
  const lines = text.split('\n');
  let quote: string | null = null;
  let print = 0;
  let block = 0;
  let comment = 0;
  const inJinja = () => print > 0 || block > 0 || comment > 0;
  const append = (s: string) => {
    if (params.length) params[params.length - 1] += s;
    else params.push(s);
  };
  lines.forEach((line, lineNo) => {
    const tokens = line.split(' ');
    let continued = false;
    tokens.forEach((token, idx) => {
      if (token === '' && idx !== 0) {
        append(' ');
        return;
      }
      if (token === '\\' && !quote) {
        continued = true;
        return;
      }
      const wasQuoted = quote !== null;
      quote = quoteState(token, quote);
      const quoted = quote !== null;
      let appended = false;
      if (quoted && !wasQuoted && !inJinja()) {
        params.push(token);
        appended = true;
      } else if (inJinja() || quoted || wasQuoted) {
        if (idx === 0 && wasQuoted) append(token);
        else if (tokens.length > 1) append(`${idx > 0 ? ' ' : ''}${token}`);
        else append(`\n${token}`);
        appended = true;
      }
      for (const [open, close, get, set] of [
        ['{{', '}}', () => print, (n: number) => (print = n)],
        ['{%', '%}', () => block, (n: number) => (block = n)],
        ['{#', '#}', () => comment, (n: number) => (comment = n)],
      ] as const) {
        const before = get();
        set(jinjaDepth(token, before, open, close));
        if (get() !== before && !appended) {
          params.push(token);
          appended = true;
        }
      }
      if (!inJinja() && !quoted && !appended && token !== '') params.push(token);
    });
    if (lines.length > 1 && lineNo !== lines.length - 1 && !continued && params.length) append('\n');
  });
  if (inJinja() || quote) {
    throw new TsplayError('validation', `failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${text}`, {
      hint: 'close every quote and every {{ }}, or give the arguments as a mapping',
    });
  }
  return params;
}

/** The inverse of splitArgs: a space between words, none after a word that ends a line. */
export function joinArgs(words: string[]): string {
  let out = '';
  for (const w of words) out += out === '' || out.endsWith('\n') ? w : ` ${w}`;
  return out;
}

/** For compatibility: the words of a line, as splitArgs gives them. */
export const splitWords = splitArgs;

const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Python's unicode-escape for the sequences Ansible decodes in a k=v word (\n, \t, \", \u00e9, ...). */
export function decodeEscapes(s: string): string {
  return s.replace(/\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\\'"abfnrtv])/g, (_m, e: string) =>
    e.length === 1 ? ESCAPES[e] : String.fromCodePoint(parseInt(e.slice(1), 16)),
  );
}

/** Strips one pair of matching outer quotes, unless the closing one is escaped. */
function unquote(v: string): string {
  if (v.length > 1 && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'") && v[v.length - 2] !== '\\') return v.slice(1, -1);
  return v;
}

export interface FreeFormResult {
  args: Record<string, unknown>;
  /** The words that were not k=v, joined back as written (newlines kept), for a module with a free form. */
  rest: string;
}

/**
 * @param keysForFreeForm for a free-form module, the only k=v keys that are
 *   taken out of the line (Ansible's command keeps `x=y` words it does not know).
 */
export function parseKeyValues(line: string, keysForFreeForm?: readonly string[]): FreeFormResult {
  const args: Record<string, unknown> = {};
  const rest: string[] = [];
  for (const word of splitArgs(line)) {
    const decoded = decodeEscapes(word);
    // The first `=` not preceded by a backslash, and never at position 0.
    let at = -1;
    for (let i = decoded.indexOf('=', 1); i > 0; i = decoded.indexOf('=', i + 1)) {
      if (decoded[i - 1] !== '\\') {
        at = i;
        break;
      }
    }
    if (at < 0) {
      rest.push(decoded.includes('=') ? decoded.replace(/\\=/g, '=') : word);
      continue;
    }
    const key = decoded.slice(0, at);
    if (keysForFreeForm && !keysForFreeForm.includes(key)) rest.push(word);
    else args[key.trim()] = unquote(decoded.slice(at + 1).trim());
  }
  return { args, rest: joinArgs(rest) };
}
