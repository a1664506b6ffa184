/**
 * Text for a person's terminal: every character that would steer the
 * terminal rather than show is written as a visible escape instead.
 *
 * Host output, registered results, host names and loop items are data from
 * the host; printed raw, an escape sequence in them sets the window title
 * (OSC), moves the cursor over earlier lines, clears the screen, or with a
 * `\r` overwrites the status a line began with. Ansible prints them raw; every
 * human output of tsplay (plain lines, the live view, the -v..-vvv trace,
 * diffs, error messages) goes through `visibleText`. The record (`--json`,
 * `--log`) is JSON and keeps the exact text, JSON-escaped.
 *
 * The style is JSON's: `\u001b` for ESC, `\u0007` for BEL, `\u009b` for the
 * one-byte CSI, so a line reads like the same value in the record. Escaped:
 * C0 controls (but newline and tab where the layout allows them), DEL, C1
 * controls, the bidirectional overrides and isolates that reorder what
 * follows them on screen, and the Unicode line and paragraph separators.
 */

const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

function escape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `s` with every terminal control written visibly. Newlines and tabs stay
 * unless `oneLine` (a line of the live view, an item label in a status line)
 * asks for them escaped too.
 */
export function visibleText(s: string, opts: { oneLine?: boolean } = {}): string {
  if (!UNSAFE.test(s) && (!s.includes('\t') || !opts.oneLine)) return s;
  return s.replace(UNSAFE_ALL, (ch) => (ch === '\n' && !opts.oneLine ? ch : escape(ch))).replace(/\t/g, (ch) => (opts.oneLine ? escape(ch) : ch));
}
