// Line-level helpers shared by the format editors. Every editor works on the
// original text split into lines that keep their own end-of-line bytes, so a
// line it does not touch is written back exactly as it was read.

export interface Line {
  /** The line's text without its end-of-line bytes. */
  text: string;
  /** '\n', '\r\n' or '' (the last line of a file without a final newline). */
  eol: string;
}

export function splitLines(src: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < src.length) {
    const nl = src.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ text: src.slice(start), eol: '' });
      break;
    }
    const cr = nl > start && src[nl - 1] === '\r';
    lines.push({ text: src.slice(start, cr ? nl - 1 : nl), eol: cr ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return lines;
}

export function joinLines(lines: readonly Line[]): string {
  let out = '';
  for (const l of lines) out += l.text + l.eol;
  return out;
}

/** The end-of-line style new lines should use: the file's first one, '\n' for a file without any. */
export function eolOf(lines: readonly Line[]): string {
  for (const l of lines) if (l.eol) return l.eol;
  return '\n';
}

/**
 * Inserts new lines at `index`. A file whose last line has no newline gets one
 * before anything is appended after it, so the old last line stays intact.
 */
export function insertLines(lines: Line[], index: number, texts: readonly string[]): void {
  if (texts.length === 0) return;
  const eol = eolOf(lines);
  if (index > 0 && lines[index - 1] && lines[index - 1]!.eol === '') lines[index - 1]!.eol = eol;
  lines.splice(index, 0, ...texts.map((text) => ({ text, eol })));
}
