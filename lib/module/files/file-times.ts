/**
 * The file module's modification_time and access_time, as Ansible's file.py
 * has them: `preserve` keeps the time, `now` sets the current time (a change
 * every run), anything else is read with the *_format (Python's strptime)
 * as the host's local time. Only a time that differs from the file's is a
 * change, so a fixed time is idempotent.
 */
import { ModuleError, type ModuleContext } from '../define.js';
import { shellQuote } from '../../connection/quote.js';
import { hostEpochExpression, pyStrptime, type WallClock } from './py-strptime.js';

export interface TimeArgs {
  modification_time?: string;
  modification_time_format?: string;
  access_time?: string;
  access_time_format?: string;
}

type Spec = 'preserve' | 'now' | WallClock;

const DEFAULT_FORMAT = '%Y%m%d%H%M.%S';

export const timeProperties = {
  modification_time: { type: 'string', description: "The file's modification time: `preserve` (the default, but `now` for state touch), `now`, or a time in modification_time_format, the host's local time." },
  modification_time_format: { type: 'string', default: DEFAULT_FORMAT, description: "Python's strptime format of modification_time." },
  access_time: { type: 'string', description: "The file's access time: `preserve` (the default, but `now` for state touch), `now`, or a time in access_time_format, the host's local time." },
  access_time_format: { type: 'string', default: DEFAULT_FORMAT, description: "Python's strptime format of access_time." },
} as const;

function spec(value: string | undefined, format: string | undefined, state: string): Spec {
  const v = value ?? (state === 'touch' ? 'now' : 'preserve');
  if (v === 'preserve' || v === 'now') return v;
  const f = format ?? DEFAULT_FORMAT;
  try {
    return pyStrptime(v, f);
  } catch (e) {
    throw new ModuleError(`Error while obtaining timestamp for time ${v} using format ${f}: ${(e as Error).message}`);
  }
}

export interface TimePlan {
  /** Both times are `preserve`: nothing to read or set. */
  untouched: boolean;
  /** Both are `now`: a plain `touch`, which needs no ownership of the file. */
  bothNow: boolean;
  mtime: Spec;
  atime: Spec;
}

/** Reads the arguments (a time that does not match its format is the task's failure, before anything changes). */
export function timePlan(args: TimeArgs, state: string): TimePlan {
  const mtime = spec(args.modification_time, args.modification_time_format, state);
  const atime = spec(args.access_time, args.access_time_format, state);
  return { mtime, atime, untouched: mtime === 'preserve' && atime === 'preserve', bothNow: mtime === 'now' && atime === 'now' };
}

/** The commands that set the times (touch -m / -a), after the file exists. */
export function timeCommands(path: string, plan: TimePlan): string[] {
  if (plan.untouched) return [];
  const q = shellQuote(path);
  if (plan.bothNow) return [`touch -- ${q}`];
  const one = (flag: string, s: Spec) => (s === 'preserve' ? [] : s === 'now' ? [`touch ${flag} -- ${q}`] : [`touch ${flag} -d "@${hostEpochExpression(s)}" -- ${q}`]);
  return [...one('-m', plan.mtime), ...one('-a', plan.atime)];
}

/**
 * Whether the times of an existing file would change: `now` always does; a
 * given time does when it differs from the file's (to the nanosecond, as
 * Ansible compares st_mtime), read on the host in one round trip.
 */
export async function timesDiffer(ctx: ModuleContext, path: string, plan: TimePlan): Promise<boolean> {
  if (plan.untouched) return false;
  if (plan.mtime === 'now' || plan.atime === 'now') return true;
  const wanted = (s: Spec) => (typeof s === 'string' ? 'echo -' : `echo ${hostEpochExpression(s)}`);
  // Whole seconds (%Y, %X) and the readable times for their fraction: older coreutils (RHEL 7's) give %Y no precision.
  const r = await ctx.host.run(`stat -L -c '%Y %y|%X %x' -- ${shellQuote(path)} && ${wanted(plan.mtime)} && ${wanted(plan.atime)}`, { allowFailure: true, env: { LC_ALL: 'C' } });
  if (r.rc !== 0) throw new ModuleError(`Error while updating modification or access time: ${r.stderr.trim() || `exit code ${r.rc}`}`, { result: { path } });
  const [current, m, a] = r.stdout.trim().split('\n');
  const [mNow, aNow] = current.split('|').map(statTime);
  return (m !== '-' && Number(m) !== mNow) || (a !== '-' && Number(a) !== aNow);
}

/** `1577880000 2020-01-01 12:00:00.250000000 +0000` as seconds with their fraction, as Python's st_mtime has them. */
function statTime(field: string): number {
  const [seconds, ...readable] = field.split(' ');
  const fraction = /\.(\d+)/.exec(readable.join(' '))?.[1];
  return Number(seconds) + (fraction ? Number(`0.${fraction}`) : 0);
}
