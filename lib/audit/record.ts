/**
 * Reading a run record (--json output or a --log file) back: every line is
 * parsed and checked against schema/events.schema.json, so a damaged or
 * foreign file is refused with the file:line of the first bad line, not
 * half-understood. A --log file may hold many runs, appended one after the
 * other (or interleaved, when runs wrote to it at once): lines are grouped
 * by their `run` id.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SourcePos } from '../errors.js';
import { TsplayError } from '../errors.js';
import { eventValidator } from '../output/validate-events.js';
import { SCHEMA_VERSION } from '../output/json.js';

export interface FileChange {
  path?: string;
  label: string;
  before: { sha256: string; size: number };
  after: { sha256: string; size: number };
  diff?: string;
  truncated?: boolean;
}

/** One host_result of a record, as the audit uses it. */
export interface HostResult {
  /** file:line of the record. */
  where: string;
  playbook: number;
  taskId?: string;
  task: string;
  module: string;
  pos?: SourcePos;
  host: string;
  item?: string;
  status: 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';
  mode: 'predicted' | 'applied';
  ignored: boolean;
  result: Record<string, unknown>;
  files: FileChange[];
  noLog: boolean;
  loopSummary: boolean;
}

export interface RunStart {
  runId: string;
  schemaVersion: number;
  tsplayVersion: string;
  user: string;
  controller: string;
  commandLine?: string[];
  playbooks?: string[];
  inventory?: string[];
  check?: boolean;
  diff?: boolean;
  limit?: string;
  tags?: string[];
  time: string;
}

export interface RecordedRun {
  file: string;
  id: string;
  start: RunStart;
  results: HostResult[];
  errors: { message: string; where: string }[];
  warnings: string[];
  exitCode?: number;
  /** run_end was seen: the record is whole. */
  complete: boolean;
}

function bad(file: string, line: number, what: string): TsplayError {
  return new TsplayError('parse', `${file}:${line}: ${what}. This is not a whole tsplay run record (schema version ${SCHEMA_VERSION}); a record is what 'tsplay run --json' prints or 'tsplay run --log FILE' writes, one JSON event per line, unchanged`, {
    hint: 'check that the file is the record you meant and that it was not cut or edited',
  });
}

/** Every run in a record file, in the order they started. */
export function readRecord(path: string): RecordedRun[] {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TsplayError('missing-file', `cannot read the record ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}`, { hint: 'give the file --log wrote, or --json output saved to a file' });
  }
  const validate = eventValidator();
  const runs = new Map<string, RecordedRun>();
  const lines = text.split('\n');
  // Per run: where the current task is, for results of records that predate task ids.
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const n = i + 1;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(raw) as Record<string, unknown>;
    } catch (err) {
      throw bad(file, n, `line is not JSON (${(err as Error).message})`);
    }
    if (!e || typeof e !== 'object' || Array.isArray(e)) throw bad(file, n, 'line is not a JSON object');
    if (e.type === 'run_start' && e.schemaVersion !== SCHEMA_VERSION) {
      throw bad(file, n, `the record has schema version ${JSON.stringify(e.schemaVersion)} and this tsplay reads version ${SCHEMA_VERSION}`);
    }
    const problem = validate(e);
    if (problem) throw bad(file, n, `the ${typeof e.type === 'string' ? `'${e.type}' event` : 'line'} does not match the record's schema: ${problem}`);
    const id = e.run as string;
    let run = runs.get(id);
    if (e.type === 'run_start') {
      if (run) throw bad(file, n, `a second run_start for run ${id}`);
      run = { file, id, start: { ...(e as unknown as RunStart), time: e.time as string }, results: [], errors: [], warnings: [], complete: false };
      runs.set(id, run);
      continue;
    }
    if (!run) throw bad(file, n, `an event of run ${id} before its run_start`);
    switch (e.type) {
      case 'host_result':
        run.results.push({
          where: `${file}:${n}`,
          playbook: 0,
          taskId: e.taskId as string | undefined,
          task: (e.task as string | undefined) ?? '',
          module: (e.module as string | undefined) ?? '',
          pos: e.pos as SourcePos | undefined,
          host: e.host as string,
          item: e.item as string | undefined,
          status: e.status as HostResult['status'],
          mode: e.mode as HostResult['mode'],
          ignored: !!e.ignored,
          result: e.result as Record<string, unknown>,
          files: (e.files as FileChange[] | undefined) ?? [],
          noLog: !!e.noLog,
          loopSummary: !!e.loopSummary,
        });
        break;
      case 'playbook_start':
        (run as RecordedRun & { playbook?: number }).playbook = e.index as number;
        break;
      case 'error':
        run.errors.push({ message: e.message as string, where: `${file}:${n}` });
        break;
      case 'warning':
        run.warnings.push(e.message as string);
        break;
      case 'run_end':
        run.exitCode = e.exitCode as number;
        run.complete = true;
        break;
    }
    if (e.type === 'host_result') run.results.at(-1)!.playbook = (run as RecordedRun & { playbook?: number }).playbook ?? 0;
  }
  if (!runs.size) throw new TsplayError('parse', `${file}: the record holds no run (no run_start line)`, { hint: "give the file 'tsplay run --log FILE' wrote, or 'tsplay run --json' output saved to a file" });
  return [...runs.values()];
}

/** The run to audit in a record: the one with this id (or id prefix), or the last one. */
export function pickRun(runs: RecordedRun[], file: string, id?: string): RecordedRun {
  if (id === undefined) return runs.at(-1)!;
  const found = runs.filter((r) => r.id === id || r.id.startsWith(id));
  if (found.length === 1) return found[0];
  throw new TsplayError('option', `${file} has ${found.length ? 'several runs' : 'no run'} with id '${id}'`, { hint: `its runs: ${runs.map((r) => `${r.id} (${r.start.time}${r.start.check ? ', check' : ''})`).join(', ')}` });
}
