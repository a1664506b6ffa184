/**
 * The one stream of events a run produces. Reporters (plain lines, JSON
 * lines, the terminal UI) subscribe to it; nothing else prints during a run.
 */
import { createHash } from 'node:crypto';
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

/** Checksums of one file's content before and after a change, taken from the module's diff before any masking. */
export interface FileDigest {
  /** The file on the host, when the module names it. */
  path?: string;
  label: string;
  before: { sha256: string; size: number };
  after: { sha256: string; size: number };
}

export type RunEvent =
  /** The first event of a run: what it was asked to do. */
  | {
      type: 'run_start';
      playbooks: string[];
      inventory: string[];
      check: boolean;
      diff: boolean;
      limit?: string;
      tags: string[];
      skipTags: string[];
      forks: number;
      verbosity: number;
      become?: boolean;
      extraVars: string[];
    }
  | { type: 'playbook_start'; file: string; check: boolean; /** 0 for the first playbook of the run. */ index: number }
  | { type: 'playbook_end'; file: string; index: number; durationMs: number }
  | { type: 'play_start'; name: string; hosts: string[]; pos?: SourcePos }
  | { type: 'no_hosts_matched'; play: string }
  | { type: 'task_start'; name: string; kind: 'task' | 'handler' | 'setup'; module: string; pos?: SourcePos; /** The hosts it runs on. */ hosts?: string[] }
  | {
      type: 'host_result';
      host: string;
      status: HostStatus;
      /** A failure that ignore_errors turned into a warning. */
      ignored?: boolean;
      /** The module this host ran, where the task names it by a template (`action: "{{ … }}"`): its result is shown as that module's. */
      module?: string;
      delegatedTo?: string;
      /** The loop item's label, for one item of a loop. */
      item?: string;
      /** For one item of a loop: its place (1-based) and the number of items. */
      loop?: { index: number; length: number };
      /** True for a loop's summary line after its items. */
      loopSummary?: boolean;
      result: Record<string, unknown>;
      diff?: FileDiff[];
      /** Whether `diff` is shown: the task's diff mode (--diff or its `diff` keyword); absent: --diff decides. */
      showDiff?: boolean;
      /** Show the result even without -v (debug, failures). */
      verbose: boolean;
      noLog?: boolean;
      /**
       * True when the task ran in check mode on this host: its `changed` is a
       * prediction. False when it really ran (a normal run, or `check_mode: false`
       * under --check).
       */
      check?: boolean;
      /** Checksums of the files in `diff`, computed by EventStream.emit. */
      files?: FileDigest[];
    }
  | { type: 'included'; file: string; hosts: string[]; /** The loop item's label, for include_tasks with a loop. */ item?: string; noLog?: boolean }
  | { type: 'retrying'; host: string; task: string; attempt: number; retries: number }
  | { type: 'warning'; message: string }
  /** A module's own remark about a host (shown with -v). */
  | { type: 'log'; host: string; message: string; /** 3: the connection and the commands sent (-vvv); default 1 (-v). */ verbosity?: number }
  | { type: 'no_more_hosts' }
  | { type: 'handler_skipped'; name: string }
  | { type: 'recap'; stats: Record<string, HostStats> }
  /** The last event of every run, once. */
  | { type: 'run_end'; exitCode: number; durationMs: number };

export type Reporter = (event: RunEvent) => void;

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** The checksums of a file diff's two sides. */
export function digest(d: FileDiff): FileDigest {
  return {
    ...(d.path !== undefined ? { path: d.path } : {}),
    label: d.label,
    before: { sha256: sha256(d.before), size: Buffer.byteLength(d.before) },
    after: { sha256: sha256(d.after), size: Buffer.byteLength(d.after) },
  };
}
