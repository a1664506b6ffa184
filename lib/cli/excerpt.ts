/** A few lines of source around an error, with a caret under the column, like a compiler shows. */
import { readFileSync } from 'node:fs';
import type { SourcePos } from '../errors.js';

export function sourceExcerpt(pos: SourcePos): string {
  let lines: string[];
  try {
    lines = readFileSync(pos.file, 'utf8').split('\n');
  } catch {
    return '';
  }
  const from = Math.max(1, pos.line - 2);
  const to = Math.min(lines.length, pos.line);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${n === pos.line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1]}`);
  out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, pos.col - 1))}^ here`);
  return out.join('\n');
}
