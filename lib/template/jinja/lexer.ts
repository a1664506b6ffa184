// Splits a Jinja template into text, `{{ expr }}`, `{% stmt %}` and comments,
// applying the whitespace rules Ansible's template module runs Jinja with:
// `trim_blocks` on (the first newline after a block or comment tag goes),
// `lstrip_blocks` off, `-` on a tag's side strips all whitespace on that side,
// `+%}` keeps the newline. Jinja normalises line ends to '\n' and drops one
// final newline of the source; the caller puts trailing newlines back as
// Ansible does.

import { templateError } from '../values.js';

export interface Pos {
  line: number;
  col: number;
}

export type Token =
  | { kind: 'text'; text: string; pos: Pos }
  | { kind: 'expr'; src: string; pos: Pos }
  | { kind: 'stmt'; src: string; pos: Pos };

export function posAt(src: string, offset: number): Pos {
  let line = 1;
  let last = -1;
  for (let i = src.indexOf('\n'); i >= 0 && i < offset; i = src.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, col: offset - last };
}

export function where(p: Pos): string {
  return `line ${p.line}, column ${p.col}`;
}

/**
 * Finds the end of a tag, skipping string literals; returns the offset of the
 * closing delimiter. As Jinja's lexer does, a `}}` or `%}` inside open
 * brackets does not close the tag (`{{ {'a': {'b': 1}} }}`); when the
 * brackets never balance, the first delimiter closes it and the expression
 * parser reports the bracket.
 */
function tagEnd(src: string, from: number, close: string, open: string): number {
  let depth = 0;
  let first = -1;
  for (let i = from; i < src.length; i++) {
    const c = src[i]!;
    if (close !== '#}' && (c === '"' || c === "'")) {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (close === '#}') {
      if (src.startsWith(close, i)) return i;
      continue;
    }
    if (src.startsWith(close, i)) {
      if (depth === 0) return i;
      if (first < 0) first = i;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
  }
  if (first >= 0) return first;
  throw templateError(`'${open}' opened at ${where(posAt(src, from - 2))} is never closed`, `close it with '${close}'`);
}

export function lex(input: string): Token[] {
  let src = input.replace(/\r\n?/g, '\n');
  if (src.endsWith('\n')) src = src.slice(0, -1);
  const out: Token[] = [];
  let pos = 0;
  let lstripNext = false; // the previous tag ended with '-'
  let trimNewline = false; // trim_blocks after the previous block/comment tag
  const pushText = (text: string, at: number) => {
    if (lstripNext) text = text.replace(/^\s+/, '');
    else if (trimNewline && text.startsWith('\n')) text = text.slice(1);
    lstripNext = trimNewline = false;
    if (text) out.push({ kind: 'text', text, pos: posAt(src, at) });
  };
  const re = /\{([{%#])/g;
  while (pos < src.length) {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) {
      pushText(src.slice(pos), pos);
      break;
    }
    const start = m.index;
    const type = m[1]!;
    const close = type === '{' ? '}}' : type + '}';
    let inner = start + 2;
    let text = src.slice(pos, start);
    if (src[inner] === '-') {
      text = text.replace(/\s+$/, '');
      inner++;
    } else if (src[inner] === '+') inner++;
    pushText(text, pos);
    const end = tagEnd(src, inner, close, '{' + type);
    let body = src.slice(inner, end);
    let stripAfter = false;
    let keepNewline = false;
    if (body.endsWith('-')) {
      stripAfter = true;
      body = body.slice(0, -1);
    } else if (body.endsWith('+') && type !== '{') {
      keepNewline = true;
      body = body.slice(0, -1);
    }
    const p = posAt(src, start);
    pos = end + 2;
    if (type === '{') out.push({ kind: 'expr', src: body.trim(), pos: p });
    else if (type === '%') {
      const stmt = body.trim();
      if (stmt === 'raw') {
        // Everything up to {% endraw %} is text, tags included.
        const r = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;
        r.lastIndex = pos;
        const em = r.exec(src);
        if (!em) throw templateError(`'{% raw %}' at ${where(p)} has no '{% endraw %}'`);
        let raw = src.slice(pos, em.index);
        if (!stripAfter && !keepNewline && raw.startsWith('\n')) raw = raw.slice(1);
        else if (stripAfter) raw = raw.replace(/^\s+/, '');
        if (em[0].startsWith('{%-')) raw = raw.replace(/\s+$/, '');
        if (raw) out.push({ kind: 'text', text: raw, pos: posAt(src, pos) });
        pos = em.index + em[0].length;
        lstripNext = em[0].endsWith('-%}');
        trimNewline = !lstripNext && !em[0].endsWith('+%}');
        continue;
      }
      out.push({ kind: 'stmt', src: stmt, pos: p });
    }
    lstripNext = stripAfter;
    trimNewline = type !== '{' && !stripAfter && !keepNewline;
  }
  return out;
}
