/** Unified diffs for --diff, from the well-kept `diff` package rather than a hand-rolled LCS. */
import { createTwoFilesPatch } from 'diff';
import type { FileDiff } from '../module/define.js';

export function unifiedDiff(d: FileDiff): string {
  const patch = createTwoFilesPatch(`before: ${d.label}`, `after: ${d.label}`, d.before, d.after, '', '', { context: 3 });
  // Drop the "====" banner line the library puts first.
  return patch.split('\n').filter((l) => !/^=+$/.test(l)).join('\n').trimEnd();
}
