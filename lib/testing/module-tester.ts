/**
 * The module tester, in the spirit of ESLint's RuleTester: a table of cases
 * per module, each run through the real engine on a real host.
 *
 * For every case:
 *   1. set the start state (files in a fresh scratch directory, a command);
 *   2. check mode: the plan is as expected (changed, skipped, failed, diff),
 *      and the host is byte for byte unchanged (every file, mode and owner
 *      in the scratch directory);
 *   3. apply: the outcome matches the prediction (a mismatch fails the
 *      case), and the end state is as expected;
 *   4. apply again: changed=false (unless the case says it is not idempotent).
 *
 * A module with `direct()` (the one-round-trip way of a run without --check
 * or --diff) runs every case twice more from a fresh start state: 3 and 4
 * without --diff, which must give the same outcome and end state.
 *
 * The same table runs over the local connection (unit tests) and over SSH
 * (give `host` the variables of an SSH host).
 */
import { isDeepStrictEqual } from 'node:util';
import { createConnection } from '../connection/factory.js';
import { shellQuote } from '../connection/quote.js';
import { writeRemoteFile } from '../connection/remote-file.js';
import type { BecomeOptions, Connection } from '../connection/types.js';
import { runPlaybook } from '../engine/run.js';
import type { ModuleDefinition } from '../module/define.js';
import type { FileDiff } from '../output/diff-text.js';
import type { HostStatus, RunEvent } from '../output/events.js';

/** A file of the start or end state. */
export interface FileSpec {
  content?: string;
  /** Permission bits, e.g. 0o640. */
  mode?: number;
  /** Owner and group by name (the start state is written with the case's become to set them). */
  owner?: string;
  group?: string;
}

/** What the plan (check mode) must say. */
export interface ExpectedPlan {
  changed: boolean;
  skipped?: boolean;
  /** The task fails, with a message matching this. */
  failed?: string | RegExp;
}

export interface ModuleCase {
  name: string;
  /** The task's arguments; `{{ test_dir }}` is the case's scratch directory on the host. */
  args: unknown;
  /** Task variables. */
  vars?: Record<string, unknown>;
  /** Run the task with become (true: root). */
  become?: boolean | { user?: string; method?: 'sudo' | 'su' };
  /** Start state: files relative to the scratch directory (or absolute), with their content. */
  files?: Record<string, string | FileSpec | undefined>;
  /** Start state: a shell command run in the scratch directory (as the case's become user) after the files are written. */
  setup?: string;
  plan: ExpectedPlan;
  /** The diff check mode shows, in order; `path` relative to the scratch directory. Omit to not check. */
  diff?: Array<{ path?: string; before?: string | RegExp; after?: string | RegExp }>;
  /** End state after apply: content, or null for absent. */
  expect?: Record<string, string | null | FileSpec | undefined>;
  /** Values the registered result must hold after apply (deep-equal, or a RegExp for strings). */
  result?: Record<string, unknown>;
  /** Values the registered result must hold in check mode. */
  checkResult?: Record<string, unknown>;
  /** The outcome of apply when it differs from the plan's (a command is skipped in check mode, then runs). */
  applied?: ExpectedPlan;
  /** false for modules that change every time (command without creates): the re-run is not checked. */
  idempotent?: boolean;
}

export interface TesterOptions {
  /** The host's inventory variables (default: the local connection). */
  host?: { name?: string; vars?: Record<string, unknown> };
  /** Other modules the cases need, by name. */
  modules?: ModuleDefinition[];
  /** Where the scratch directories are made on the host (default: mktemp -d's default). */
  tmpdir?: string;
}

export interface CaseReport {
  name: string;
  /** What went wrong; empty when the case passed. */
  problems: string[];
}

interface TaskRun {
  status: HostStatus;
  result: Record<string, unknown>;
  diff?: FileDiff[];
  warnings: string[];
  failures: string[];
}

function describe(v: unknown): string {
  return v instanceof RegExp ? String(v) : JSON.stringify(v);
}

function matches(actual: unknown, expected: unknown): boolean {
  if (expected instanceof RegExp) return typeof actual === 'string' && expected.test(actual);
  if (expected && typeof expected === 'object' && !Array.isArray(expected) && actual && typeof actual === 'object') {
    return Object.entries(expected).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v));
  }
  return isDeepStrictEqual(actual, expected);
}

function becomeOf(b: ModuleCase['become']): BecomeOptions | undefined {
  if (!b) return undefined;
  return b === true ? {} : { user: b.user, method: b.method };
}

/** Everything in a directory: type, mode, owner, size, sha256 of files, link targets. */
async function snapshot(conn: Connection, dir: string, become?: BecomeOptions): Promise<string> {
  const q = shellQuote(dir);
  const r = await conn.exec(
    `cd ${q} && find . -printf '%p %y %m %u:%g %s %l\\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum`,
    { become, allowFailure: true },
  );
  return r.stdout;
}

function resolvePath(dir: string, p: string): string {
  return p.startsWith('/') ? p : `${dir}/${p}`;
}

/** Runs one module's cases; each report lists what did not hold. */
export async function testModule(def: ModuleDefinition, cases: ModuleCase[], opts: TesterOptions = {}): Promise<CaseReport[]> {
  const hostName = opts.host?.name ?? 'testhost';
  const hostVars = opts.host?.vars ?? { ansible_connection: 'local' };
  const conn = createConnection(hostName, hostVars, {});
  const reports: CaseReport[] = [];
  try {
    for (const c of cases) {
      const report = await runCase(def, c, conn, hostName, hostVars, opts, false);
      if (def.direct) report.problems.push(...(await runCase(def, c, conn, hostName, hostVars, opts, true)).problems.map((p) => `without --diff (direct): ${p}`));
      reports.push(report);
    }
  } finally {
    await conn.close();
  }
  return reports;
}

async function runCase(
  def: ModuleDefinition,
  c: ModuleCase,
  conn: Connection,
  hostName: string,
  hostVars: Record<string, unknown>,
  opts: TesterOptions,
  direct: boolean,
): Promise<CaseReport> {
  const problems: string[] = [];
  const become = becomeOf(c.become);
  const mk = await conn.exec(`mktemp -d -p ${opts.tmpdir ? shellQuote(opts.tmpdir) : '"${TMPDIR:-/tmp}"'} tsplay-case-XXXXXXXX`, {});
  const dir = mk.stdout.trim();
  try {
    await conn.exec(`chmod 755 ${shellQuote(dir)}`);
    for (const [p, spec] of Object.entries(c.files ?? {})) {
      if (spec === undefined) continue;
      const s: FileSpec = typeof spec === 'string' ? { content: spec } : spec;
      const path = resolvePath(dir, p);
      await conn.exec(`mkdir -p -- "$(dirname -- ${shellQuote(path)})"`, { become });
      await writeRemoteFile(conn, path, s.content ?? '', { mode: s.mode, owner: s.owner, group: s.group }, { become: become ?? (s.owner || s.group ? {} : undefined) });
    }
    if (c.setup) await conn.exec(c.setup, { cwd: dir, become });

    const run = async (check: boolean): Promise<TaskRun> => {
      const events: RunEvent[] = [];
      const r = await runPlaybook({
        modules: [def, ...(opts.modules ?? [])],
        inventory: { all: { hosts: { [hostName]: hostVars } } },
        playbook: {
          plays: [
            {
              hosts: hostName,
              gather_facts: false,
              vars: { test_dir: dir, ...c.vars },
              ...(c.become ? { become: true, ...(c.become !== true && c.become.user ? { become_user: c.become.user } : {}), ...(c.become !== true && c.become.method ? { become_method: c.become.method } : {}) } : {}),
              tasks: [{ name: c.name, [def.name]: c.args }],
            },
          ],
        },
        check,
        // Without --diff a module's direct() runs instead of plan() and apply().
        diff: check || !direct,
        predictions: 'fail',
        reporters: [(e) => events.push(e)],
      });
      const result = events.find((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result' && e.host === hostName);
      // meta is carried out by the engine itself and reports no result: a clean run is its ok.
      if (!result && def.name === 'meta' && r.exitCode === 0) return { status: 'ok', result: {}, warnings: r.warnings, failures: [] };
      if (!result) return { status: 'failed', result: { msg: `no result (exit code ${r.exitCode})` }, warnings: r.warnings, failures: r.failures.map((f) => f.msg) };
      return { status: result.status, result: result.result, diff: result.diff, warnings: r.warnings, failures: r.failures.map((f) => f.msg) };
    };

    // 2. Check mode: the prediction, and nothing changed.
    const before = await snapshot(conn, dir, become);
    const planned = await run(true);
    const after = await snapshot(conn, dir, become);
    if (before !== after) problems.push(`check mode changed the host:\n--- before\n${before}--- after\n${after}`);
    problems.push(...statusProblems('check mode', planned, c.plan));
    if (c.checkResult && !matches(planned.result, c.checkResult)) problems.push(`check mode: result ${JSON.stringify(planned.result)} does not hold ${describe(c.checkResult)}`);
    if (c.diff) problems.push(...diffProblems(planned.diff ?? [], c.diff, dir));
    for (const w of planned.warnings) problems.push(`check mode warned: ${w}`);

    // 3. Apply.
    const applied = await run(false);
    const outcome: ExpectedPlan = c.applied ?? c.plan;
    problems.push(...statusProblems('apply', applied, outcome));
    for (const w of applied.warnings) problems.push(`apply warned: ${w}`);
    if (c.result && !matches(applied.result, c.result)) problems.push(`apply: result ${JSON.stringify(applied.result)} does not hold ${describe(c.result)}`);
    for (const [p, want] of Object.entries(c.expect ?? {})) if (want !== undefined) problems.push(...(await fileProblems(conn, resolvePath(dir, p), p, want, become)));

    // 4. Again: nothing left to change.
    if (c.idempotent !== false && outcome.failed === undefined) {
      const again = await run(false);
      if (again.status === 'changed') problems.push(`a second run changed the host again (changed=true): ${JSON.stringify(again.result).slice(0, 300)}`);
      if (again.status === 'failed') problems.push(`a second run failed: ${String(again.result.msg)}`);
    }
  } catch (e) {
    problems.push(`the tester could not run the case: ${(e as Error).message}`);
  } finally {
    await conn.exec(`rm -rf -- ${shellQuote(dir)}`, { become, allowFailure: true }).catch(() => undefined);
  }
  return { name: c.name, problems };
}

function statusProblems(phase: string, got: TaskRun, want: ExpectedPlan): string[] {
  const out: string[] = [];
  const wantStatus: HostStatus = want.failed !== undefined ? 'failed' : want.skipped ? 'skipped' : want.changed ? 'changed' : 'ok';
  if (got.status !== wantStatus) out.push(`${phase}: expected ${wantStatus}, got ${got.status}${got.result.msg ? ` (${String(got.result.msg)})` : ''}`);
  // Some failures carry their text as `message` (include_vars), as Ansible's do.
  const msg = got.result.msg ?? got.result.message;
  if (want.failed !== undefined && got.status === 'failed' && !matches(String(msg ?? ''), want.failed instanceof RegExp ? want.failed : String(want.failed))) {
    out.push(`${phase}: failure message ${JSON.stringify(msg)} does not match ${describe(want.failed)}`);
  }
  return out;
}

function diffProblems(got: FileDiff[], want: NonNullable<ModuleCase['diff']>, dir: string): string[] {
  const out: string[] = [];
  if (got.length !== want.length) out.push(`check mode: expected ${want.length} file diff(s), got ${got.length}${got.length ? ` (${got.map((d) => d.label).join(', ')})` : ''}`);
  want.forEach((w, i) => {
    const d = got[i];
    if (!d) return;
    if (w.path !== undefined && d.path !== resolvePath(dir, w.path)) out.push(`diff ${i + 1}: path ${JSON.stringify(d.path)}, expected ${JSON.stringify(resolvePath(dir, w.path))}`);
    if (w.before !== undefined && !matches(d.before, w.before)) out.push(`diff ${i + 1}: before ${JSON.stringify(d.before)}, expected ${describe(w.before)}`);
    if (w.after !== undefined && !matches(d.after, w.after)) out.push(`diff ${i + 1}: after ${JSON.stringify(d.after)}, expected ${describe(w.after)}`);
  });
  return out;
}

async function fileProblems(conn: Connection, path: string, label: string, want: string | null | FileSpec, become?: BecomeOptions): Promise<string[]> {
  const r = await conn.exec(`if [ -e ${shellQuote(path)} ]; then stat -c '%a %U %G' -- ${shellQuote(path)}; base64 < ${shellQuote(path)}; else echo absent; fi`, { become });
  const [head, ...rest] = r.stdout.split('\n');
  if (head === 'absent') return want === null ? [] : [`end state: ${label} does not exist`];
  if (want === null) return [`end state: ${label} exists, expected it absent`];
  const spec: FileSpec = typeof want === 'string' ? { content: want } : want;
  const [mode, owner, group] = head.split(' ');
  const content = Buffer.from(rest.join(''), 'base64').toString('utf8');
  const out: string[] = [];
  if (spec.content !== undefined && content !== spec.content) out.push(`end state: ${label} holds ${JSON.stringify(content)}, expected ${JSON.stringify(spec.content)}`);
  if (spec.mode !== undefined && parseInt(mode, 8) !== spec.mode) out.push(`end state: ${label} has mode ${mode}, expected ${spec.mode.toString(8)}`);
  if (spec.owner !== undefined && owner !== spec.owner) out.push(`end state: ${label} is owned by ${owner}, expected ${spec.owner}`);
  if (spec.group !== undefined && group !== spec.group) out.push(`end state: ${label} has group ${group}, expected ${spec.group}`);
  return out;
}

/** Runs the cases and throws one error listing every problem (for test frameworks without a table helper). */
export async function assertModule(def: ModuleDefinition, cases: ModuleCase[], opts: TesterOptions = {}): Promise<void> {
  const reports = await testModule(def, cases, opts);
  const failed = reports.filter((r) => r.problems.length);
  if (failed.length) throw new Error(failed.map((r) => `${def.name}: ${r.name}\n  ${r.problems.join('\n  ')}`).join('\n'));
}
