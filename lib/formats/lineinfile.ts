// Ansible's lineinfile on a text: the last line matching `regexp` (or equal
// to `line`) is replaced, else the line is inserted after the last line
// matching `insertafter` (or before the first matching `insertbefore`), at the
// end by default; `absent` removes every match. Line ends are kept.

import { insertLines, joinLines, splitLines, visible } from './lines.js';

export interface LineInFile {
  line?: string;
  regexp?: string;
  search_string?: string;
  state: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
  firstmatch?: boolean;
}

/** Python's re.search for the patterns users write; (?P<name>) becomes (?<name>). */
function re(p: string): RegExp {
  return new RegExp(p.replace(/\(\?P</g, '(?<'));
}

export function lineInFile(src: string, o: LineInFile): { text: string; found: number } {
  const lines = splitLines(src);
  const matches = (t: string) => (o.regexp !== undefined ? re(o.regexp).test(t) : o.search_string !== undefined ? t.includes(o.search_string) : t === o.line);
  if (o.state === 'absent') {
    const kept = lines.filter((l) => !matches(l.text));
    return { text: kept.length === lines.length ? src : joinLines(kept), found: lines.length - kept.length };
  }
  const line = o.line!;
  // A line holding a line break is several lines in the file: the next run could not find it and
  // would add it again (Ansible's lineinfile does, on every run). Refused: blockinfile is for several lines.
  const brk = /[\n\r]/.exec(line);
  if (brk) throw new Error(`line ${visible(line)} holds a line break (${brk[0] === '\n' ? '\\n' : '\\r'}): lineinfile keeps one line, and a second run could not find it again. Give one line, or use blockinfile for several`);
  let hit = -1;
  lines.forEach((l, i) => {
    if (matches(l.text) && (hit < 0 || !o.firstmatch)) hit = i;
  });
  if (hit >= 0) {
    if (lines[hit]!.text === line) return { text: src, found: 1 };
    lines[hit]!.text = line;
    return { text: joinLines(lines), found: 1 };
  }
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
