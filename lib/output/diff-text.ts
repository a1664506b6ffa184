/** Unified diffs for --diff, from the well-kept `diff` package rather than a hand-rolled LCS. */
import { createRequire } from 'node:module';

// Loaded at the first diff: a run without --diff never needs its twenty files.
let diffLib: typeof import('diff') | undefined;
const loadDiff = () => (diffLib ??= createRequire(import.meta.url)('diff') as typeof import('diff'));

/** One file's change, as a module predicts or reports it. */
export interface FileDiff {
  /** Shown in the diff header, e.g. the path. */
  label: string;
  before: string;
  after: string;
  /**
   * The file on the host this diff is about. The engine checks that apply()
   * writes exactly the files plan() predicted with a path.
   */
  path?: string;
  /** A side's header when it is not `label` (Ansible's `/dev/null` for a file made or removed). */
  beforeLabel?: string;
  afterLabel?: string;
}

export function unifiedDiff(d: FileDiff): string {
  const patch = loadDiff().createTwoFilesPatch(`before: ${d.beforeLabel ?? d.label}`, `after: ${d.afterLabel ?? d.label}`, d.before, d.after, '', '', { context: 3 });
  // Drop the "====" banner line the library puts first.
  return patch.split('\n').filter((l) => !/^=+$/.test(l)).join('\n').trimEnd();
}
