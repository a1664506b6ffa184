/** Small helpers for module authors, exported by the kit. */
import { shellQuote } from '../connection/quote.js';
import type { FileDiff } from '../output/diff-text.js';

/** A file's predicted change, labelled and keyed by its path (what --diff shows and the engine checks). */
export function fileDiff(path: string, before: string, after: string): FileDiff {
  return { label: path, path, before, after };
}

/** Words quoted one by one into a shell line: no word is ever interpreted by the shell. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
