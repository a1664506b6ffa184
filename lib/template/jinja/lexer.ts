// Splits a Jinja template into text, `{{ expr }}`, `{% stmt %}` and comments,
// applying the whitespace rules Ansible's template module runs Jinja with:
// by default `trim_blocks` on (the first newline after a block or comment tag goes),
// `lstrip_blocks` off, `-` on a tag's side strips all whitespace on that side,
// `+%}` keeps the newline. Jinja normalises line ends to '\n' and drops one
// final newline of the source; the caller puts trailing newlines back as
// Ansible does.

import { templateError } from '../values.js';

/** Jinja's environment settings a template's `#jinja2:` header (or the template module's arguments) may change. */
export interface LexOptions {
  variableStart: string;
  variableEnd: string;
  blockStart: string;
  blockEnd: string;
  commentStart: string;
  commentEnd: string;
  trimBlocks: boolean;
  lstripBlocks: boolean;
  keepTrailingNewline: boolean;
  newlineSequence: string;
}

/** Ansible's template settings. */
export const DEFAULT_LEX: Readonly<LexOptions> = {
  variableStart: '{{',
  variableEnd: '}}',
  blockStart: '{%',
  blockEnd: '%}',
  commentStart: '{#',
  commentEnd: '#}',
  trimBlocks: true,
  lstripBlocks: false,
  keepTrailingNewline: false,
  newlineSequence: '\n',
};

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
function tagEnd(src: string, from: number, close: string, open: string, comment: boolean): number {
  let depth = 0;
  let first = -1;
  for (let i = from; i < src.length; i++) {
    const c = src[i]!;
    if (!comment && (c === '"' || c === "'")) {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (comment) {
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
  throw templateError(`'${open}' opened at ${where(posAt(src, from - open.length))} is never closed`, `close it with '${close}'`);
}

const escapeRe = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first tag opening at or after `from`: its offset, kind and delimiters (the longest delimiter wins a tie, as in Jinja). */
function nextOpen(src: string, from: number, o: LexOptions): { at: number; type: '{' | '%' | '#'; open: string; close: string } | undefined {
  let best: { at: number; type: '{' | '%' | '#'; open: string; close: string } | undefined;
  for (const [type, open, close] of [['{', o.variableStart, o.variableEnd], ['%', o.blockStart, o.blockEnd], ['#', o.commentStart, o.commentEnd]] as const) {
    const at = src.indexOf(open, from);
    if (at < 0) continue;
    if (!best || at < best.at || (at === best.at && open.length > best.open.length)) best = { at, type, open, close };
  }
  return best;
}

export function lex(input: string, o: LexOptions = DEFAULT_LEX): Token[] {
  let src = input.replace(/\r\n?/g, '\n');
  if (!o.keepTrailingNewline && src.endsWith('\n')) src = src.slice(0, -1);
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
  // lstrip_blocks: the spaces and tabs between a line's start and a block or comment tag go.
  const lstripLine = (text: string, at: number) => {
    const m = /(^|\n)[ \t]*$/.exec(text);
    if (!m || (m.index === 0 && m[1] === '' && at > 0)) return text;
    return text.slice(0, m.index + m[1]!.length);
  };
  const endraw = new RegExp(`${escapeRe(o.blockStart)}[-+]?\\s*endraw\\s*[-+]?${escapeRe(o.blockEnd)}`, 'g');
  while (pos < src.length) {
    const m = nextOpen(src, pos, o);
    if (!m) {
      pushText(src.slice(pos), pos);
      break;
    }
    const start = m.at;
    const type = m.type;
    const close = m.close;
    let inner = start + m.open.length;
    let text = src.slice(pos, start);
    if (src[inner] === '-') {
      text = text.replace(/\s+$/, '');
      inner++;
    } else if (src[inner] === '+') inner++;
    else if (o.lstripBlocks && type !== '{') text = lstripLine(text, pos);
    pushText(text, pos);
    const end = tagEnd(src, inner, close, m.open, type === '#');
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
    pos = end + close.length;
    if (type === '{') out.push({ kind: 'expr', src: body.trim(), pos: p });
    else if (type === '%') {
      const stmt = body.trim();
      if (stmt === 'raw') {
        // Everything up to {% endraw %} is text, tags included.
        endraw.lastIndex = pos;
        const em = endraw.exec(src);
        if (!em) throw templateError(`'${o.blockStart} raw ${o.blockEnd}' at ${where(p)} has no '${o.blockStart} endraw ${o.blockEnd}'`);
        let raw = src.slice(pos, em.index);
        if (!stripAfter && !keepNewline && o.trimBlocks && raw.startsWith('\n')) raw = raw.slice(1);
        else if (stripAfter) raw = raw.replace(/^\s+/, '');
        if (em[0].startsWith(o.blockStart + '-')) raw = raw.replace(/\s+$/, '');
        else if (o.lstripBlocks && !em[0].startsWith(o.blockStart + '+')) raw = lstripLine(raw, 1);
        if (raw) out.push({ kind: 'text', text: raw, pos: posAt(src, pos) });
        pos = em.index + em[0].length;
        lstripNext = em[0].endsWith('-' + o.blockEnd);
        trimNewline = o.trimBlocks && !lstripNext && !em[0].endsWith('+' + o.blockEnd);
        continue;
      }
      out.push({ kind: 'stmt', src: stmt, pos: p });
    }
    lstripNext = stripAfter;
    trimNewline = o.trimBlocks && type !== '{' && !stripAfter && !keepNewline;
  }
  if (o.newlineSequence !== '\n') for (const t of out) if (t.kind === 'text') t.text = t.text.replaceAll('\n', o.newlineSequence);
  return out;
}
