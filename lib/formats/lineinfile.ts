// Ansible's lineinfile on a text: the last line matching `regexp` (or equal
// to `line`) is replaced, else the line is inserted after the last line
// matching `insertafter` (or before the first matching `insertbefore`), at the
// end by default; `absent` removes every match. Line ends are kept.

import { pyRegex, pyReplacement } from '../template/regex.js';
import { insertLines, joinLines, splitLines, visible } from './lines.js';

export interface LineInFile {
  line?: string;
  regexp?: string;
  search_string?: string;
  state: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
  firstmatch?: boolean;
  /** `line` is a replacement template for `regexp`'s match (\\1, \\g<name>); no match: the file is left alone. */
  backrefs?: boolean;
}

/** Python's re.search for the patterns users write; (?P<name>) becomes (?<name>). */
function re(p: string): RegExp {
  return new RegExp(p.replace(/\(\?P</g, '(?<'));
}

/**
 * A `line` holding a line break is several lines in the file: no line ever
 * equals it, so every run adds it again, as Ansible's lineinfile does. Written
 * as Ansible writes it (playbooks rely on it), with this warning.
 */
export function lineBreakWarning(line: string | undefined): string | undefined {
  const brk = line === undefined ? null : /[\n\r]/.exec(line);
  if (!brk) return undefined;
  return `lineinfile: line ${visible(line!)} holds a line break (${brk[0] === '\n' ? '\\n' : '\\r'}): no line of the file can equal it, so every run adds it again. Give one line, or use blockinfile for several`;
}

/** Python's match.expand(template) for the first match of `regexp` in `text` (which matches). */
function expandMatch(text: string, regexp: string, template: string): string {
  const r = pyRegex(regexp);
  const m = r.exec(text)!;
  const replaced = text.replace(r, pyReplacement(template));
  return replaced.slice(m.index, replaced.length - (text.length - m.index - m[0].length));
}

export function lineInFile(src: string, o: LineInFile): { text: string; found: number } {
  const lines = splitLines(src);
  const matches = (t: string) => (o.regexp !== undefined ? re(o.regexp).test(t) : o.search_string !== undefined ? t.includes(o.search_string) : t === o.line);
  if (o.state === 'absent') {
    const kept = lines.filter((l) => !matches(l.text));
    return { text: kept.length === lines.length ? src : joinLines(kept), found: lines.length - kept.length };
  }
  const line = o.line!;
  // A line holding a line break is written as Ansible writes it; the module warns (lineBreakWarning).
  let hit = -1;
  lines.forEach((l, i) => {
    if (matches(l.text) && (hit < 0 || !o.firstmatch)) hit = i;
  });
  if (hit >= 0) {
    const wanted = o.backrefs && o.regexp !== undefined ? expandMatch(lines[hit]!.text, o.regexp, line) : line;
    if (lines[hit]!.text === wanted) return { text: src, found: 1 };
    lines[hit]!.text = wanted;
    return { text: joinLines(lines), found: 1 };
  }
  // With backrefs and no match there is nothing to build the line from: Ansible leaves the file alone.
  if (o.backrefs) return { text: src, found: 0 };
  // Without regexp, a line already there (anywhere) is left alone.
  if (lines.some((l) => l.text === line)) return { text: src, found: 1 };
  let at = lines.length;
  if (o.insertbefore !== undefined) {
    if (o.insertbefore === 'BOF') at = 0;
    else {
      const r = re(o.insertbefore);
      const idx = o.firstmatch ? lines.findIndex((l) => r.test(l.text)) : lines.map((l) => r.test(l.text)).lastIndexOf(true);
      if (idx >= 0) at = idx;
    }
  } else if (o.insertafter !== undefined && o.insertafter !== 'EOF') {
    const r = re(o.insertafter);
    const idx = o.firstmatch ? lines.findIndex((l) => r.test(l.text)) : lines.map((l) => r.test(l.text)).lastIndexOf(true);
    if (idx >= 0) at = idx + 1;
  }
  insertLines(lines, at, [line]);
  return { text: joinLines(lines), found: 0 };
}
