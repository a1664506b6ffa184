// Ansible's replace and blockinfile on a text (pure). Python regular
// expressions and replacement strings (\1, \g<name>) are translated by the
// template engine's own helpers, so they mean what they mean in Ansible.

import { pyRegex, pyReplacement } from '../template/regex.js';
import { visible } from './lines.js';

/** re.subn(regexp, replace, text, flags=MULTILINE), limited to the part between `after` and `before` when given. */
export function replaceText(text: string, o: { regexp: string; replace?: string; after?: string; before?: string }): { text: string; count: number } {
  let start = 0;
  let end = text.length;
  if (o.after !== undefined) {
    const m = pyRegex(o.after, { multiline: true }).exec(text);
    if (!m) return { text, count: 0 };
    start = m.index + m[0].length;
  }
  if (o.before !== undefined) {
    const r = pyRegex(o.before, { multiline: true, global: true });
    r.lastIndex = start;
    const m = r.exec(text);
    if (!m) return { text, count: 0 };
    end = m.index;
  }
  const section = text.slice(start, end);
  const re = pyRegex(o.regexp, { multiline: true, global: true });
  const count = [...section.matchAll(re)].length;
  const out = count ? section.replace(re, pyReplacement(o.replace ?? '')) : section;
  return { text: text.slice(0, start) + out + text.slice(end), count };
}

export interface Block {
  block: string;
  marker: string;
  marker_begin: string;
  marker_end: string;
  state: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
}

/** Python's bytes.splitlines(keepends=True): lines end at \n, \r\n or a lone \r, and keep their ends. */
function splitKeepingEnds(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];
}

const withoutEnd = (line: string) => line.replace(/(?:\r\n|\n|\r)$/, '');

/**
 * Ansible's blockinfile: the lines between the two marker lines are the block;
 * it is replaced, inserted or removed. As in Ansible, every line keeps its own
 * line end (a CRLF file's lines stay CRLF, so do the block's own `\r\n`
 * lines), the markers and a block's missing last line end are `\n`.
 */
export function blockInFile(src: string, o: Block): string {
  const lines = splitKeepingEnds(src);
  const begin = o.marker.replace('{mark}', o.marker_begin);
  const end = o.marker.replace('{mark}', o.marker_end);
  const b = lines.findIndex((l) => withoutEnd(l) === begin);
  const e = b >= 0 ? lines.findIndex((l, i) => i > b && withoutEnd(l) === end) : -1;
  const body = splitKeepingEnds(o.block === '' || o.block.endsWith('\n') ? o.block : o.block + '\n');
  // A block holding a marker line would end (or start) the block there on the next run, leaving
  // the rest of it behind as ordinary lines: refused.
  const clash = body.find((l) => withoutEnd(l) === begin || withoutEnd(l) === end);
  if (clash !== undefined) throw new Error(`the block holds the marker line ${visible(withoutEnd(clash))}: the next run would read the block as ending there. Remove that line from the block, or choose another marker`);
  // An empty block means absent, as in Ansible.
  const wanted = o.state === 'absent' || body.length === 0 ? [] : [`${begin}\n`, ...body, `${end}\n`];
  let at: number;
  if (b >= 0 && e >= 0) {
    lines.splice(b, e - b + 1);
    at = b;
  } else {
    if (!wanted.length) return src;
    at = insertionPoint(src, lines, o);
  }
  // The line before the block ends with a line break, as Ansible makes sure.
  if (at > 0 && !lines[at - 1]!.endsWith('\n')) lines[at - 1] += '\n';
  lines.splice(at, 0, ...wanted);
  return lines.join('');
}

/**
 * Where a new block goes: after the last line matching insertafter, before the
 * last matching insertbefore (BOF: first, EOF or no match: last). A pattern
 * with the (?m) flag is searched in the whole text, as Ansible does.
 */
function insertionPoint(src: string, lines: string[], o: Block): number {
  const pattern = o.insertbefore !== undefined && o.insertbefore !== 'BOF' ? o.insertbefore : o.insertafter !== undefined && o.insertafter !== 'EOF' ? o.insertafter : undefined;
  if (pattern === undefined) return o.insertbefore === 'BOF' ? 0 : lines.length;
  const after = o.insertbefore === undefined;
  if (/^\(\?[aiLsux]*m[aiLmsux]*\)/.test(pattern)) {
    const m = pyRegex(pattern).exec(src);
    if (!m) return lines.length;
    const upTo = after ? m.index + m[0].length : m.index;
    return (src.slice(0, upTo).match(/\n/g) ?? []).length + (after ? 1 : 0);
  }
  const r = pyRegex(pattern);
  const idx = lines.map((l) => r.test(withoutEnd(l))).lastIndexOf(true);
  return idx < 0 ? lines.length : after ? idx + 1 : idx;
}
