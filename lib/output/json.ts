/**
 * The run's record: --json (stdout) and --log FILE write the same JSON
 * lines, one event per line, in the versioned format docs/events.md
 * describes and schema/events.schema.json defines.
 *
 * Every line carries `time` (ISO 8601, UTC), `run` (the run's id), `seq`
 * (1, 2, ... within the run) and `type`. The first line is `run_start` (who
 * ran what, where, with which options), the last is `run_end` (the exit
 * code), also when the run stops on an error before anything ran. Each
 * `host_result` names its play and task (ids, name, module, file:line) and
 * says whether its change was `predicted` (check mode) or `applied`. File
 * contents never enter the record: a file change is its path, the sha256
 * and size of both sides, and a unified diff cut at DIFF_LIMIT characters.
 *
 * The events arrive censored (lib/output/censor.ts): no_log results and
 * known secrets never reach the record.
 */
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { SourcePos } from '../errors.js';
import { MASK, maskSecrets } from './censor.js';
import { unifiedDiff } from './diff-text.js';
import type { FileDigest, Reporter, RunEvent } from './events.js';
import { packageVersion } from './package-files.js';
import { eventValidator } from './validate-events.js';

/** The version of the record's format; it changes when a field's meaning changes or a required one goes. */
export const SCHEMA_VERSION = 1;

/** A file's unified diff in the record is cut after this many characters. */
export const DIFF_LIMIT = 64 * 1024;

/** Who ran the run, where, and how: shared by every record of one run (--json and --log). */
export interface RunIdentity {
  runId: string;
  tsplayVersion: string;
  user: string;
  controller: string;
  pid: number;
  cwd: string;
  /** The command line, as given (`tsplay run ...`); absent for a library caller. */
  commandLine?: string[];
  /** The controller's time zone and UTC offset: command results' `start`/`end` are local times in it (Ansible's format). */
  timeZone: string;
  utcOffset: string;
}

function offset(date = new Date()): string {
  const m = -date.getTimezoneOffset();
  const a = Math.abs(m);
  return `${m < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Names of variables whose values the command line must not show. */
const SENSITIVE = /pass|secret|token|credential|private|key/i;

/**
 * The command line as the record keeps it: the value of a sensitive `-e`
 * variable (`-e db_password=x`) is masked; an inline YAML or JSON `-e` that
 * names one is masked whole. `-e @file` keeps its path.
 */
export function recordedCommandLine(argv: string[]): string[] {
  const out: string[] = [];
  const maskValue = (v: string): string => {
    if (v.startsWith('@')) return v;
    if (/^\s*[{[]/.test(v) || !/^[\w.-]+=/.test(v)) return SENSITIVE.test(v) ? MASK : v;
    return v.replace(/(^|\s)([\w.-]+)=(\S*)/g, (m, sp: string, k: string) => (SENSITIVE.test(k) ? `${sp}${k}=${MASK}` : m));
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '-e' || a === '--extra-vars') && i + 1 < argv.length) {
      out.push(a, maskValue(argv[++i]));
    } else if (a.startsWith('--extra-vars=')) out.push(`--extra-vars=${maskValue(a.slice(13))}`);
    else if (/^-e./.test(a)) out.push(`-e${maskValue(a.slice(2))}`);
    else out.push(a);
  }
  return out;
}

export function runIdentity(commandLine?: string[]): RunIdentity {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? String(process.getuid?.() ?? 'unknown');
  }
  return {
    runId: randomUUID(),
    tsplayVersion: packageVersion(),
    user,
    controller: hostname(),
    pid: process.pid,
    cwd: process.cwd(),
    ...(commandLine ? { commandLine: recordedCommandLine(commandLine) } : {}),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
    utcOffset: offset(),
  };
}

/** What an error that ends a run puts in the record. */
export interface ErrorInfo {
  message: string;
  pos?: SourcePos;
  hint?: string;
  exitCode: number;
}

export interface RecordOptions {
  /** Shared by the run's records; one is made when not given. */
  identity?: RunIdentity;
  /** Check every line against the schema and throw on a mismatch (default: TSPLAY_VALIDATE_EVENTS=1). */
  validate?: boolean;
  /** What the run was asked to do, for a run_start written before the engine could (an error while loading). */
  planned?: Partial<Extract<RunEvent, { type: 'run_start' }>>;
}

export interface RunRecord {
  reporter: Reporter;
  /** Records an error that ends the run, then run_end; a run_start first if none was written. */
  error(e: ErrorInfo): void;
  /** Writes run_end with this exit code unless the run already ended (an interrupted run). */
  finish(exitCode: number): void;
  readonly ended: boolean;
}

type Line = Record<string, unknown> & { type: string };

interface TaskRef {
  id: string;
  name: string;
  module: string;
  kind: string;
  pos?: SourcePos;
}

/** A file change as the record keeps it: path, checksums, a bounded diff. */
export function recordFile(f: FileDigest, diff?: { before: string; after: string; label: string; path?: string }): Record<string, unknown> {
  const out: Record<string, unknown> = { ...f };
  if (diff) {
    let text = unifiedDiff(diff);
    if (text.length > DIFF_LIMIT) {
      text = text.slice(0, DIFF_LIMIT);
      out.truncated = true;
    }
    out.diff = text;
  }
  return out;
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, the C1 controls (U+009B
 * is a one-byte CSI to many terminals), the bidi overrides and the Unicode
 * line separators raw. They can only stand inside strings, so writing them as
 * \\u escapes keeps the same JSON value, and a record shown in a terminal
 * (`tsplay run --json | less -R`, `tail -f` of a --log) cannot steer it.
 */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
export function terminalSafeJson(json: string): string {
  return json.replace(RAW_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function createRunRecord(write: (s: string) => void, opts: RecordOptions = {}): RunRecord {
  const identity = opts.identity ?? runIdentity();
  const validate = opts.validate ?? process.env.TSPLAY_VALIDATE_EVENTS === '1';
  let seq = 0;
  let started = false;
  let ended = false;
  let runCheck = !!opts.planned?.check;
  let verbosity = 0;
  let playCount = 0;
  let taskCount = 0;
  let play: { id: string; name: string } | undefined;
  let task: TaskRef | undefined;
  const startedAt = Date.now();

  const out = (line: Line) => {
    const full = { time: new Date().toISOString(), run: identity.runId, seq: ++seq, ...line };
    if (validate) checkLine(full);
    write(terminalSafeJson(JSON.stringify(full)) + '\n');
  };

  const runStart = (e: Partial<Extract<RunEvent, { type: 'run_start' }>>) => {
    started = true;
    const { type: _t, ...rest } = { type: 'run_start', ...e };
    // The command line may hold a password given with -e: masked as everything else is.
    out(maskSecrets({ type: 'run_start', schemaVersion: SCHEMA_VERSION, ...identity, ...rest }));
  };

  const taskFields = () => (task ? { playId: play?.id, taskId: task.id, task: task.name, module: task.module, ...(task.pos ? { pos: task.pos } : {}) } : play ? { playId: play.id } : {});

  const reporter: Reporter = (e: RunEvent) => {
    if (ended) return;
    switch (e.type) {
      case 'run_start':
        runCheck = e.check;
        verbosity = e.verbosity;
        runStart(e);
        return;
      case 'run_end':
        ended = true;
        out({ ...e });
        return;
      default:
        if (!started) runStart(opts.planned ?? {});
    }
    switch (e.type) {
      case 'play_start':
        play = { id: `p${++playCount}`, name: e.name };
        task = undefined;
        out({ ...e, id: play.id });
        return;
      case 'task_start':
        task = { id: `t${++taskCount}`, name: e.name, module: e.module, kind: e.kind, pos: e.pos };
        out({ ...e, id: task.id, ...(play ? { playId: play.id } : {}) });
        return;
      case 'playbook_end':
        task = undefined;
        play = undefined;
        out({ ...e });
        return;
      case 'host_result': {
        const { diff, files, check, verbose: _v, showDiff: _d, ...rest } = e;
        const predicted = check ?? runCheck;
        // A result's own `diff` holds whole files: the record keeps the bounded diff in `files` instead.
        const { diff: _whole, ...result } = rest.result;
        out({
          ...rest,
          result,
          ...taskFields(),
          // A module named by a template (`action: "{{ … }}"`): the one this host ran.
          ...(rest.module !== undefined ? { module: rest.module } : {}),
          mode: predicted ? 'predicted' : 'applied',
          ...(files?.length ? { files: files.map((f, i) => recordFile(f, diff?.[i])) } : {}),
        });
        return;
      }
      case 'log':
        // Commands traced for the live view are in the record only at -vvv, so a record does not depend on the terminal.
        if ((e.verbosity ?? 1) > Math.max(verbosity, 1)) return;
        out({ ...e, ...taskFields() });
        return;
      case 'retrying':
        out({ ...e, ...taskFields() });
        return;
      default:
        out({ ...e });
    }
  };

  return {
    reporter,
    get ended() {
      return ended;
    },
    error(e) {
      if (ended) return;
      if (!started) runStart(opts.planned ?? {});
      out(maskSecrets({ type: 'error', message: e.message, ...(e.pos ? { pos: e.pos } : {}), ...(e.hint ? { hint: e.hint } : {}), exitCode: e.exitCode }));
      ended = true;
      out({ type: 'run_end', exitCode: e.exitCode, durationMs: Date.now() - startedAt });
    },
    finish(exitCode) {
      if (ended) return;
      if (!started) runStart(opts.planned ?? {});
      ended = true;
      out({ type: 'run_end', exitCode, durationMs: Date.now() - startedAt });
    },
  };
}

/** --json for a library caller: `runPlaybook({ reporters: [jsonReporter(write)] })`. */
export function jsonReporter(write: (s: string) => void, opts: RecordOptions = {}): Reporter {
  return createRunRecord(write, opts).reporter;
}

/**
 * A run that stops on an error before its record was set up (a bad option)
 * still gets a whole record: run_start, the error, run_end.
 */
export function writeJsonError(write: (s: string) => void, error: ErrorInfo, commandLine?: string[]): void {
  createRunRecord(write, { identity: runIdentity(commandLine) }).error(error);
}

let validator: ((line: unknown) => string | undefined) | undefined;

function checkLine(line: Record<string, unknown>): void {
  // Compiled on first use: only tests ask for validation.
  validator ??= eventValidator();
  const problem = validator(line);
  if (problem) {
    const msg = `TSPLAY_VALIDATE_EVENTS: event ${String(line.seq)} (${String(line.type)}) does not match schema/events.schema.json: ${problem}\n${JSON.stringify(line).slice(0, 2000)}`;
    // Said on stderr too: the throw may become a task's failure, read by nobody.
    if (process.env.TSPLAY_VALIDATE_EVENTS === '1') process.stderr.write(msg + '\n');
    throw new Error(msg);
  }
}
