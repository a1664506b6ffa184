/**
 * The one place where errors become what the user reads and the exit code
 * the shell sees. No stack traces unless -vvv.
 */
import { relative } from 'node:path';
import { ExitCode, isTsplayError } from '../errors.js';
import { maskText } from '../output/censor.js';
import { sourceExcerpt } from './excerpt.js';

export function describeError(e: unknown, verbosity: number): { text: string; exitCode: number } {
  if (isTsplayError(e)) {
    const where = e.pos ? ` (${displayPath(e.pos.file)}:${e.pos.line}:${e.pos.col})` : '';
    const parts = [`ERROR! ${e.message}${where}`];
    if (e.pos) {
      const ex = sourceExcerpt(e.pos);
      if (ex) parts.push(ex);
    }
    if (e.hint) parts.push(`To fix it: ${lowerFirst(e.hint)}.`.replace(/\.\.$/, '.'));
    if (verbosity >= 3 && e.stack) parts.push(e.stack);
    // Known passwords are masked in errors too (lib/output/censor.ts).
    return { text: maskText(parts.join('\n\n')), exitCode: e.exitCode };
  }
  const err = e as Error;
  const text = `ERROR! Unexpected error: ${err?.message ?? String(e)}\n\nThis is a bug in tsplay; run again with -vvv to see where it happened and report it.${verbosity >= 3 && err?.stack ? `\n\n${err.stack}` : ''}`;
  return { text: maskText(text), exitCode: ExitCode.unexpected };
}

/** "Check the path" reads as "To fix it: check the path"; names and paths keep their case. */
function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
