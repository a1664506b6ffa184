// Ansible's replace and blockinfile on a text (pure). Python regular
// expressions and replacement strings (\1, \g<name>) are translated by the
// template engine's own helpers, so they mean what they mean in Ansible.

import { pyRegex, pyReplacement } from '../template/regex.js';
import { splitLines, visible } from './lines.js';

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

/** Ansible's blockinfile: the lines between the two marker lines are the block; it is replaced, inserted or removed. */
export function blockInFile(src: string, o: Block): string {
  const lines = splitLines(src).map((l) => l.text);
  const hadFinalNewline = src === '' || src.endsWith('\n');
  const begin = o.marker.replace('{mark}', o.marker_begin);
  const end = o.marker.replace('{mark}', o.marker_end);
  const b = lines.indexOf(begin);
  const e = b >= 0 ? lines.indexOf(end, b + 1) : -1;
  const body = o.block === '' ? [] : o.block.replace(/\n$/, '').split('\n');
  // A block holding a marker line would end (or start) the block there on the next run, leaving
  // the rest of it behind as ordinary lines: refused.
  const clash = body.find((l) => l.replace(/\r$/, '') === begin || l.replace(/\r$/, '') === end);
  if (clash !== undefined) throw new Error(`the block holds the marker line ${visible(clash)}: the next run would read the block as ending there. Remove that line from the block, or choose another marker`);
  // An empty block means absent, as in Ansible.
  const wanted = o.state === 'absent' || body.length === 0 ? [] : [begin, ...body, end];
  let out: string[];
  if (b >= 0 && e >= 0) out = [...lines.slice(0, b), ...wanted, ...lines.slice(e + 1)];
  else {
    if (!wanted.length) return src;
    let at = lines.length;
    if (o.insertbefore === 'BOF') at = 0;
    else if (o.insertbefore !== undefined) {
      const r = pyRegex(o.insertbefore);
      const idx = lines.map((l) => r.test(l)).lastIndexOf(true);
      if (idx >= 0) at = idx;
    } else if (o.insertafter !== undefined && o.insertafter !== 'EOF') {
      const r = pyRegex(o.insertafter);
      const idx = lines.map((l) => r.test(l)).lastIndexOf(true);
      if (idx >= 0) at = idx + 1;
    }
    out = [...lines.slice(0, at), ...wanted, ...lines.slice(at)];
  }
  const eol = /\r\n/.test(src) ? '\r\n' : '\n';
  const text = out.join(eol);
  return text === '' ? '' : text + (hadFinalNewline || out.length > lines.length ? eol : '');
}
