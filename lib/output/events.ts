/**
 * The one stream of events a run produces. Reporters (plain lines, JSON
 * lines, the terminal UI) subscribe to it; nothing else prints during a run.
 */
import type { FileDiff } from './diff-text.js';
import type { SourcePos } from '../errors.js';

export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export type RunEvent =
  | { type: 'playbook_start'; file: string; check: boolean }
  | { type: 'play_start'; name: string; hosts: string[]; pos?: SourcePos }
  | { type: 'no_hosts_matched'; play: string }
  | { type: 'task_start'; name: string; kind: 'task' | 'handler' | 'setup'; module: string; pos?: SourcePos; /** The hosts it runs on. */ hosts?: string[] }
  | {
      type: 'host_result';
      host: string;
      status: HostStatus;
      /** A failure that ignore_errors turned into a warning. */
      ignored?: boolean;
      delegatedTo?: string;
      /** The loop item's label, for one item of a loop. */
      item?: string;
      /** True for a loop's summary line after its items. */
      loopSummary?: boolean;
      result: Record<string, unknown>;
      diff?: FileDiff[];
      /** Show the result even without -v (debug, failures). */
      verbose: boolean;
      noLog?: boolean;
    }
  | { type: 'included'; file: string; hosts: string[]; /** The loop item's label, for include_tasks with a loop. */ item?: string; noLog?: boolean }
  | { type: 'retrying'; host: string; task: string; attempt: number; retries: number }
  | { type: 'warning'; message: string }
  /** A module's own remark about a host (shown with -v). */
  | { type: 'log'; host: string; message: string }
  | { type: 'no_more_hosts' }
  | { type: 'handler_skipped'; name: string }
  | { type: 'recap'; stats: Record<string, HostStats> }
  | { type: 'playbook_end'; exitCode: number; durationMs: number };

export type Reporter = (event: RunEvent) => void;

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}
