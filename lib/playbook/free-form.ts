/**
 * Ansible's one-line argument form: `debug: msg="hello world"` or
 * `command: ls -l chdir=/tmp`. Values keep their quotes' content; a module
 * with a free form keeps the non-k=v words as one string.
 */

/**
 * Splits on spaces outside quotes and outside `{{ }}` / `{% %}`, keeping
 * quotes in the words (so k="a b" and msg={{ a | join(' ') }} stay one word),
 * as Ansible's parse_kv does.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let inWord = false;
  let templateDepth = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    const pair = line.slice(i, i + 2);
    if (!quote && (pair === '{{' || pair === '{%')) {
      templateDepth++;
      current += pair;
      inWord = true;
      i++;
    } else if (!quote && templateDepth > 0 && (pair === '}}' || pair === '%}')) {
      templateDepth--;
      current += pair;
      i++;
    } else if (templateDepth > 0) {
      current += ch;
    } else if (quote) {
      current += ch;
      if (ch === '\\' && i + 1 < line.length) current += line[++i];
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    return v.slice(1, -1).replace(/\\(["'\\])/g, '$1');
  }
  return v;
}

const KV = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

export interface FreeFormResult {
  args: Record<string, unknown>;
  /** The words that were not k=v, for a module with a free form. */
  rest: string;
}

/**
 * @param keysForFreeForm for a free-form module, the only k=v keys that are
 *   taken out of the line (Ansible's command keeps `x=y` words it does not know).
 */
export function parseKeyValues(line: string, keysForFreeForm?: readonly string[]): FreeFormResult {
  const args: Record<string, unknown> = {};
  const rest: string[] = [];
  for (const word of splitWords(line)) {
    const m = KV.exec(word);
    if (m && (!keysForFreeForm || keysForFreeForm.includes(m[1]))) args[m[1]] = unquote(m[2]);
    else rest.push(word);
  }
  return { args, rest: rest.join(' ') };
}
