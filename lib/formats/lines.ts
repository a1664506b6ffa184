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

/**
 * What each reader ends a line at. An editor writing a value that holds one
 * of these would let the value start lines of its own (a section header, an
 * assignment) in the file as the reader sees it, whatever the editor thinks.
 */
export const LINE_BREAKS = {
  /** Python's str.splitlines(), which Ansible's INI inventory reader uses. */
  python: /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/,
  /** systemd's unit and EnvironmentFile parsers, the shell, haproxy: LF and CR (and NUL, which ends a C string). */
  posix: /[\n\r\0]/,
} as const;

/** A value as it can be printed in one line of a message: controls and Unicode line breaks escaped, long ones cut. */
export function visible(value: string): string {
  const cut = value.length > 80 ? value.slice(0, 77) + '...' : value;
  return JSON.stringify(cut).replace(/[\x7f-\x9f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The character as a message names it: U+2028, U+000A. */
const codePoint = (c: string) => 'U+' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/**
 * Throws when `value` holds a character `reader` ends a line at (or, with
 * `alsoControls`, any control character): the error names the value, the
 * character and the reader, so the caller can add the file's name.
 */
export function refuseLineBreaks(what: string, value: string, reader: keyof typeof LINE_BREAKS, readerName: string, alsoControls = false): void {
  const m = LINE_BREAKS[reader].exec(value) ?? (alsoControls ? /[\x00-\x1f\x7f]/.exec(value) : null);
  if (!m) return;
  const kind = LINE_BREAKS[reader].test(m[0]) ? `a line break (${codePoint(m[0][0]!)}) for ${readerName}` : `a control character (${codePoint(m[0])})`;
  throw new Error(`${what} ${visible(value)} holds ${kind}: written, it would change the file's structure, so it is refused. Give it without line breaks or control characters.`);
}
