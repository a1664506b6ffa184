/**
 * `tsplay audit`: what a check run predicted, per host and per thing
 * (file, systemd unit, etcd member, anything else a task changes), and,
 * given the real run's record too, where the outcome differs from the
 * prediction. Results of the two runs are paired by playbook, task position
 * (file:line:col), host and loop item.
 */
import { relative } from 'node:path';
import type { FileChange, HostResult, RecordedRun } from './record.js';

/** Exit code of `tsplay audit` when the real run differs from the prediction. */
export const AUDIT_DIFFERS = 3;

const UNIT_MODULES = new Set(['systemd', 'service', 'systemd_service', 'sysvinit']);

type Kind = 'file' | 'unit' | 'etcd' | 'other';

interface Thing {
  kind: Kind;
  /** The file path, unit name, member name, or task name. */
  name: string;
  what: string;
}

function shortSha(s: string): string {
  return s.slice(0, 12);
}

function display(file: string | undefined): string {
  if (!file) return '?';
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function where(r: HostResult): string {
  return r.pos ? `${display(r.pos.file)}:${r.pos.line}` : 'position unknown';
}

function taskLabel(r: HostResult): string {
  return `task "${r.task}"${r.item !== undefined ? ` (item ${r.item})` : ''} [${r.module}] at ${where(r)}`;
}

function msg(r: HostResult): string {
  const m = r.result.msg;
  return typeof m === 'string' ? m.split('\n')[0].slice(0, 200) : '';
}

const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function fileWhat(f: FileChange, verb: 'would be' | 'was'): string {
  const created = f.before.size === 0 && f.before.sha256 === EMPTY_SHA;
  const removed = f.after.size === 0 && f.after.sha256 === EMPTY_SHA && !created;
  const sides = `${f.before.size} → ${f.after.size} bytes, sha256 ${shortSha(f.before.sha256)} → ${shortSha(f.after.sha256)}`;
  return `${created ? `${verb} created` : removed ? `${verb} emptied or removed` : `${verb} changed`} (${sides})`;
}

/** The things a changed result changes (or would change). */
export function thingsOf(r: HostResult, verb: 'would be' | 'was' = 'would be'): Thing[] {
  if (r.files.length) return r.files.map((f) => ({ kind: 'file' as const, name: f.path ?? f.label, what: fileWhat(f, verb) }));
  const m = msg(r);
  if (UNIT_MODULES.has(r.module)) {
    const name = typeof r.result.name === 'string' ? r.result.name : r.task;
    return [{ kind: 'unit', name, what: m || `${verb} changed` }];
  }
  if (r.module.startsWith('etcd_')) {
    const member = r.result.member as { name?: string; id?: string } | undefined;
    const name = member?.name ?? (typeof r.result.name === 'string' ? r.result.name : undefined) ?? member?.id;
    return [{ kind: 'etcd', name: name !== undefined ? String(name) : `(${r.module})`, what: m || `${verb} changed` }];
  }
  return [{ kind: 'other', name: r.task, what: m || `${verb} changed` }];
}

/** A check-mode skip of a module that cannot predict (command, shell): neither right nor wrong. */
function unpredictable(r: HostResult): boolean {
  if (r.mode !== 'predicted' || r.status !== 'skipped') return false;
  // The module cannot predict (command, shell), or the playbook says the step runs only for real (`when: not ansible_check_mode`).
  return /would have run if not in check mode/i.test(msg(r)) || /\bansible_check_mode\b/.test(String(r.result.false_condition ?? ''));
}

function results(run: RecordedRun): HostResult[] {
  return run.results.filter((r) => !r.loopSummary);
}

function header(run: RecordedRun, role: string): string[] {
  const s = run.start;
  const cmd = s.commandLine ? `tsplay ${s.commandLine.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')}` : `(library run of ${(s.playbooks ?? []).map(display).join(', ')})`;
  const end = run.complete ? `exit code ${run.exitCode}` : 'no run_end: the run was cut short or the record is incomplete';
  return [`${role}: ${display(run.file)}, run ${run.id}`, `  ${s.check ? 'check mode' : 'real run'} by ${s.user}@${s.controller} at ${s.time}, tsplay ${s.tsplayVersion}; ${end}`, `  ${cmd}`];
}

const KIND_TITLE: Record<Kind, string> = { file: 'file', unit: 'unit', etcd: 'etcd member', other: 'change' };

function perHost(rs: HostResult[]): Map<string, HostResult[]> {
  const m = new Map<string, HostResult[]>();
  for (const r of rs) (m.get(r.host) ?? m.set(r.host, []).get(r.host)!).push(r);
  return m;
}

/** The summary of one record: what each host would change (a check run) or changed (a real run). */
export function summarise(run: RecordedRun): string[] {
  const check = !!run.start.check;
  const verb = check ? 'would be' : 'was';
  const out = [...header(run, check ? 'Check run' : 'Run'), ''];
  const rs = results(run);
  const changed = rs.filter((r) => r.status === 'changed');
  const counts: Record<Kind, number> = { file: 0, unit: 0, etcd: 0, other: 0 };
  for (const r of changed) if (r.mode === 'predicted' || !check) for (const t of thingsOf(r, verb)) counts[t.kind]++;
  const hosts = new Set(changed.map((r) => r.host));
  out.push(
    `${check ? 'Would change' : 'Changed'}: ${counts.file} file(s), ${counts.unit} unit(s), ${counts.etcd} etcd member change(s), ${counts.other} other change(s) on ${hosts.size} host(s).`,
  );
  for (const e of run.errors) out.push(`The run stopped on an error: ${e.message} (${e.where})`);
  for (const [host, hr] of perHost(rs)) {
    const lines: string[] = [];
    for (const r of hr) {
      if (r.status === 'changed') {
        const real = check && r.mode === 'applied';
        const prefix = real ? 'REALLY CHANGED during the check run (check_mode: false): ' : '';
        for (const t of thingsOf(r, real ? 'was' : verb)) {
          if (t.kind === 'other') lines.push(`  ${prefix}change by ${taskLabel(r)}${msg(r) ? `: ${msg(r)}` : ''}`);
          else lines.push(`  ${prefix}${KIND_TITLE[t.kind]} ${t.name}: ${t.what}`, `      ${taskLabel(r)}`);
        }
      } else if (unpredictable(r)) {
        lines.push(`  cannot predict: ${taskLabel(r)} ${/ansible_check_mode/.test(String(r.result.false_condition ?? '')) ? 'runs only in a real run (when: not ansible_check_mode)' : 'is skipped in check mode and would run in a real run'}`);
      } else if (r.status === 'failed' && !r.ignored) {
        lines.push(`  FAILED: ${taskLabel(r)}: ${msg(r)}`);
      } else if (r.status === 'unreachable') {
        lines.push(`  UNREACHABLE: ${msg(r)}`);
      }
    }
    out.push('', `${host}${lines.length ? '' : ': no change'}`, ...lines);
  }
  return out;
}

interface Pair {
  key: string;
  host: string;
  check?: HostResult;
  real?: HostResult;
}

/** Pairs the results of two runs of the same playbooks: by playbook, task position, host, item, and occurrence. */
function pair(check: HostResult[], real: HostResult[]): Pair[] {
  const keyed = (rs: HostResult[]) => {
    const seen = new Map<string, number>();
    return rs.map((r) => {
      const base = `${r.playbook}|${r.pos ? `${r.pos.file}:${r.pos.line}:${r.pos.col}` : r.task}|${r.host}|${r.item ?? ''}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      return { key: `${base}|${n}`, r };
    });
  };
  const pairs = new Map<string, Pair>();
  for (const { key, r } of keyed(check)) pairs.set(key, { key, host: r.host, check: r });
  for (const { key, r } of keyed(real)) {
    const p = pairs.get(key);
    if (p) p.real = r;
    else pairs.set(key, { key, host: r.host, real: r });
  }
  return [...pairs.values()];
}

function outcome(r: HostResult): string {
  if (r.status === 'failed' && !r.ignored) return `failed (${msg(r)})`;
  if (r.status === 'unreachable') return `unreachable (${msg(r)})`;
  if (r.status === 'skipped') return 'skipped';
  return r.status === 'changed' ? 'changed' : 'no change';
}

/**
 * For each result that changed a file already changed earlier in the same
 * run: the earlier result, per path. Check mode writes nothing, so a second
 * edit of one file is predicted from the file as it was before the first.
 */
function earlierWriters(rs: HostResult[]): WeakMap<HostResult, Map<string, HostResult>> {
  const last = new Map<string, { r: HostResult; after: string }>();
  const out = new WeakMap<HostResult, Map<string, HostResult>>();
  for (const r of rs) {
    if (r.status !== 'changed') continue;
    for (const f of r.files) {
      const p = f.path ?? f.label;
      const prev = last.get(`${r.host}\0${p}`);
      if (prev && prev.after === f.before.sha256) (out.get(r) ?? out.set(r, new Map()).get(r)!).set(p, prev.r);
      last.set(`${r.host}\0${p}`, { r, after: f.after.sha256 });
    }
  }
  return out;
}

/** What differs between one prediction and its outcome; empty when they agree. */
function differences(c: HostResult, r: HostResult, earlier?: Map<string, HostResult>): string[] {
  const out: string[] = [];
  const failedC = (c.status === 'failed' && !c.ignored) || c.status === 'unreachable';
  const failedR = (r.status === 'failed' && !r.ignored) || r.status === 'unreachable';
  if (failedC !== failedR || (c.status === 'changed') !== (r.status === 'changed')) {
    out.push(`predicted ${outcome(c)}, the real run: ${outcome(r)}`);
    return out;
  }
  if (r.status !== 'changed') return out;
  const byPath = (fs: FileChange[]) => new Map(fs.map((f) => [f.path ?? f.label, f]));
  const cf = byPath(c.files);
  const rf = byPath(r.files);
  for (const [p, f] of cf) {
    const g = rf.get(p);
    if (!g) {
      out.push(`file ${p}: predicted ${fileWhat(f, 'would be')}, the real run did not change it`);
      continue;
    }
    const first = earlier?.get(p);
    if (f.before.sha256 !== g.before.sha256 && first) {
      out.push(
        `file ${p}: ${taskLabel(first)} had changed it earlier in the real run; check mode, which writes nothing, predicted this edit from the file as it was before (sha256 before: ${shortSha(f.before.sha256)} in the check run, ${shortSha(g.before.sha256)} in the real run)`,
      );
    } else if (f.before.sha256 !== g.before.sha256) {
      out.push(`file ${p}: it changed on the host between the two runs (sha256 before: ${shortSha(f.before.sha256)} in the check run, ${shortSha(g.before.sha256)} in the real run)`);
    }
    if (f.after.sha256 !== g.after.sha256) {
      out.push(`file ${p}: predicted content sha256 ${shortSha(f.after.sha256)} (${f.after.size} bytes), the real run wrote ${shortSha(g.after.sha256)} (${g.after.size} bytes)`);
    }
  }
  for (const [p, g] of rf) if (!cf.has(p)) out.push(`file ${p}: ${fileWhat(g, 'was')} but the check run did not predict it`);
  const action = (x: HostResult) => (typeof x.result.action === 'string' ? x.result.action : undefined);
  if (c.module.startsWith('etcd_') && action(c) && action(r) && action(c) !== action(r)) out.push(`etcd: predicted ${action(c)}, the real run did ${action(r)}`);
  return out;
}

export interface Comparison {
  lines: string[];
  differ: boolean;
}

/** Where a real run's outcome differs from a check run's prediction. */
export function compare(check: RecordedRun, real: RecordedRun): Comparison {
  const lines = [...header(check, 'Prediction'), ...header(real, 'Outcome'), ''];
  const notes: string[] = [];
  const same = (a?: string[], b?: string[]) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  if (!same(check.start.playbooks, real.start.playbooks)) notes.push(`The runs ran different playbooks: ${(check.start.playbooks ?? []).map(display).join(', ')} and ${(real.start.playbooks ?? []).map(display).join(', ')}.`);
  if ((check.start.limit ?? '') !== (real.start.limit ?? '') || !same(check.start.tags, real.start.tags)) notes.push('The runs had different --limit or --tags.');
  const differences_: { host: string; text: string[] }[] = [];
  const unknown: { host: string; text: string }[] = [];
  let agreed = 0;
  let compared = 0;
  const earlier = earlierWriters(results(real));
  for (const p of pair(results(check), results(real))) {
    const c = p.check;
    const r = p.real;
    if (c && unpredictable(c)) {
      unknown.push({ host: p.host, text: `${taskLabel(c)}: could not be predicted; the real run: ${r ? outcome(r) : 'did not run it'}` });
      continue;
    }
    if (c && r) {
      compared++;
      const d = differences(c, r, earlier.get(r));
      if (d.length) differences_.push({ host: p.host, text: [...d, `    ${taskLabel(c)}; check ${c.where}, real ${r.where}`] });
      else agreed++;
      continue;
    }
    const only = (c ?? r)!;
    // A task that changed nothing in one run and did not run in the other is no difference.
    const matters = only.status === 'changed' || (only.status === 'failed' && !only.ignored) || only.status === 'unreachable';
    if (!matters) continue;
    compared++;
    differences_.push({
      host: p.host,
      text: [c ? `predicted ${outcome(c)}, but the real run did not run this task on this host` : `the real run: ${outcome(r!)}, but the check run did not run this task on this host`, `    ${taskLabel(only)}; ${only.where}`],
    });
  }
  if (!real.complete) differences_.push({ host: '(run)', text: ['the real run has no run_end: it was interrupted, or the record was cut'] });
  else if (real.exitCode !== 0 && check.exitCode === 0) differences_.push({ host: '(run)', text: [`the check run ended with exit code 0, the real run with ${real.exitCode}`] });
  for (const e of real.errors) differences_.push({ host: '(run)', text: [`the real run stopped on an error: ${e.message} (${e.where})`] });
  lines.push(...notes);
  lines.push(`${compared} result(s) compared: ${agreed} as predicted, ${differences_.length} difference(s); ${unknown.length} could not be predicted.`);
  if (differences_.length) {
    lines.push('', 'WHERE THE OUTCOME DIFFERS FROM THE PREDICTION');
    for (const [host, ds] of groupBy(differences_)) {
      lines.push(`${host}`);
      for (const d of ds) lines.push(...d.text.map((t) => `  ${t}`));
    }
  } else {
    lines.push('', 'The real run changed what the check run predicted, and nothing else.');
  }
  if (unknown.length) {
    lines.push('', 'NOT PREDICTABLE (skipped in check mode)');
    for (const u of unknown) lines.push(`  ${u.host}: ${u.text}`);
  }
  return { lines, differ: differences_.length > 0 };
}

function groupBy<T extends { host: string }>(xs: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) (m.get(x.host) ?? m.set(x.host, []).get(x.host)!).push(x);
  return m;
}
