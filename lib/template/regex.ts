/**
 * Python `re` patterns and replacement strings translated to JavaScript's.
 * The two dialects agree on everything Ansible users commonly write; the
 * translated forms are named groups, inline flags, \A and \Z, and \1 / \g<name>.
 */
import { templateError } from './values.js';

const cache = new Map<string, RegExp>();

export function pyRegex(pattern: unknown, opts: { ignorecase?: unknown; multiline?: unknown; global?: boolean; sticky?: boolean } = {}): RegExp {
  if (typeof pattern !== 'string') throw templateError(`a regular expression must be a string, not ${typeof pattern}`);
  let flags = '';
  let src = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const f of inline[1]) if (f === 'i' || f === 'm' || f === 's') flags += f;
  }
  if (opts.ignorecase && !flags.includes('i')) flags += 'i';
  if (opts.multiline && !flags.includes('m')) flags += 'm';
  if (opts.global) flags += 'g';
  if (opts.sticky) flags += 'y';
  const key = `${flags}/${src}`;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  const js = pyAnchors(src.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>'), flags.includes('m'));
  let re: RegExp;
  try {
    re = new RegExp(js, flags);
  } catch (e) {
    throw templateError(`invalid regular expression '${pattern}': ${pythonReason((e as Error).message)}`);
  }
  if (cache.size > 5000) cache.clear();
  cache.set(key, re);
  return re;
}

const END = '(?![\\s\\S])';

/**
 * Python's anchors in JavaScript's: \A and \Z are the very start and end of
 * the text whatever the flags, and `$` without MULTILINE also matches before
 * a newline that ends the text (JavaScript's `$` only at the very end).
 * Escapes and character classes are copied as they are.
 */
function pyAnchors(src: string, multiline: boolean): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      const next = src[i + 1];
      out += next === 'A' ? '(?<![\\s\\S])' : next === 'Z' ? END : ch + (next ?? '');
      i++;
    } else if (ch === '[') {
      const end = classEnd(src, i);
      out += src.slice(i, end);
      i = end - 1;
    } else if (ch === '$' && !multiline) out += `(?=\\n?${END})`;
    else out += ch;
  }
  return out;
}

/** The index just past the character class that opens at `start` (the text's end if it never closes). */
function classEnd(src: string, start: number): number {
  let i = start + 1;
  if (src[i] === '^') i++;
  if (src[i] === ']') i++; // a `]` first in the class is a literal
  for (; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === ']') return i + 1;
  }
  return src.length;
}

/** Whether a pattern has a `$` outside classes and escapes: without MULTILINE, Python's also matches before a final newline. */
export function hasEndOfLineAnchor(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '[') i = classEnd(pattern, i) - 1;
    else if (pattern[i] === '$') return true;
  }
  return false;
}

/** JavaScript's reasons a pattern does not compile, in the words of Python's re.error (without its position). */
const PYTHON_REASONS: [RegExp, string][] = [
  [/Nothing to repeat$/, 'nothing to repeat'],
  [/Unterminated group$/, 'missing ), unterminated subpattern'],
  [/Unmatched '\)'$/, 'unbalanced parenthesis'],
  [/Unterminated character class$/, 'unterminated character set'],
  [/numbers out of order in \{\} quantifier$/, 'min repeat greater than max repeat'],
  [/\\ at end of pattern$/, 'bad escape (end of pattern)'],
  [/Range out of order in character class$/, 'bad character range'],
  [/Invalid capture group name$/, 'bad character in group name'],
  [/Duplicate capture group name$/, 'redefinition of group name'],
  [/Invalid named capture referenced$/, 'unknown group name'],
];

function pythonReason(jsMessage: string): string {
  for (const [re, reason] of PYTHON_REASONS) if (re.test(jsMessage)) return reason;
  return jsMessage;
}

/** Python replacement syntax (\1, \g<1>, \g<name>) to JavaScript's ($1, $<name>). */
export function pyReplacement(repl: string): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const ch = repl[i];
    if (ch === '$') out += '$$';
    else if (ch === '\\' && i + 1 < repl.length) {
      const rest = repl.slice(i + 1);
      const num = /^\d{1,2}/.exec(rest);
      const named = /^g<(\w+)>/.exec(rest);
      if (num) {
        out += `$${num[0]}`;
        i += num[0].length;
      } else if (named) {
        out += /^\d+$/.test(named[1]) ? `$${named[1]}` : `$<${named[1]}>`;
        i += named[0].length;
      } else {
        const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
        out += esc[rest[0]] ?? '\\' + rest[0];
        i++;
      }
    } else out += ch;
  }
  return out;
}
