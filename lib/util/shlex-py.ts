/**
 * Python's `shlex.split(line, comments)` in POSIX mode. Ansible's INI plugin
 * splits a host line with comments=True; its command module splits a command
 * line with comments=False.
 * It is not a shell: `$` and backticks are plain, `#` starts a comment even in
 * the middle of a word, and inside double quotes a backslash only escapes `"`
 * and `\` (so `"3\#4"` keeps its backslash).
 */
export class ShlexError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export interface ShlexToken {
  value: string;
  /** Offset of the token's first character in the line. */
  offset: number;
}

const WS = ' \t\r\n';

export function shlexSplit(line: string, opts: { comments?: boolean } = { comments: true }): ShlexToken[] {
  const comments = opts.comments ?? true;
  const out: ShlexToken[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && WS.includes(line[i])) i++;
    if (i >= line.length) break;
    if (comments && line[i] === '#') break;
    const start = i;
    let value = '';
    let quoted = false;
    let ended = false;
    while (i < line.length && !ended) {
      const c = line[i];
      if (WS.includes(c)) break;
      if (comments && c === '#') {
        ended = true;
        i = line.length;
        break;
      }
      if (c === "'" || c === '"') {
        quoted = true;
        const q = c;
        const qstart = i;
        i++;
        for (;;) {
          if (i >= line.length) throw new ShlexError('No closing quotation', qstart);
          const d = line[i];
          if (d === q) {
            i++;
            break;
          }
          if (q === '"' && d === '\\') {
            const n = line[i + 1];
            if (n === undefined) throw new ShlexError('No closing quotation', qstart);
            if (n === '"' || n === '\\') {
              value += n;
              i += 2;
            } else {
              value += '\\';
              i++;
            }
            continue;
          }
          value += d;
          i++;
        }
        continue;
      }
      if (c === '\\') {
        const n = line[i + 1];
        if (n === undefined) throw new ShlexError('No escaped character', i);
        value += n;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    if (value !== '' || quoted) out.push({ value, offset: start });
    if (ended) break;
  }
  return out;
}
