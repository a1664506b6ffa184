/**
 * Runs the real ansible-playbook 2.14 and tsplay's command line on the same
 * playbooks and inventories, and reads their plain output back into what can
 * be compared: the recap, the exit code, the task banners and each task's
 * host lines.
 */
import type { Test } from 'tap';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';
import { builtCli } from '../helpers/build.js';
import { pool } from '../helpers/pool.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const compatDir = here;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A private HOME and temp dir, so no ansible.cfg or stray state changes what Ansible does. */
export function scratchDir(prefix = 'tsplay-compat-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const ansibleEnv: NodeJS.ProcessEnv = {
  ...hermeticAnsibleEnv('tsplay-ansible-home-').env,
  ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
};

export function exec(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: opts.cwd ?? compatDir, env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function runAnsible(args: string[], cwd = compatDir): Promise<Run> {
  return exec('ansible-playbook', args, { cwd, env: ansibleEnv });
}

/**
 * The CLI built from the current sources: the run's one test build
 * (tests/helpers/build.ts), shared by every test file and never the repo's
 * dist/. `name` is kept for the callers; it no longer makes a private build.
 */
export function buildCli(_name: string): string {
  return builtCli();
}

/** Nothing to remove: the test build is shared by the whole run and kept for the next. */
export function removeBuild(_cli: string): void {}

export function runTsplay(cli: string, args: string[], cwd = compatDir): Promise<Run> {
  // CI=1: plain lines, never the terminal UI.
  return exec(process.execPath, [cli, 'run', ...args], { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1' } });
}

export type Recap = Record<string, { ok: number; changed: number; unreachable: number; failed: number; skipped: number; rescued: number; ignored: number }>;

export function parseRecap(stdout: string): Recap {
  const recap: Recap = {};
  const at = stdout.lastIndexOf('PLAY RECAP');
  if (at < 0) return recap;
  for (const line of stdout.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)/.exec(line);
    if (!m) continue;
    const [, host, ...n] = m;
    const [ok, changed, unreachable, failed, skipped, rescued, ignored] = n.map(Number);
    recap[host] = { ok, changed, unreachable, failed, skipped, rescued, ignored };
  }
  return recap;
}

export interface Section {
  banner: string;
  /**
   * The host lines under the banner, each with its JSON continuation lines.
   * Grouped by host in host-name order (hosts finish in any order); one host's
   * lines keep the order they were printed in (loop items, retries).
   */
  lines: string[];
}

/** The host a line is about (`ok: [h1] => ...`), or '' for a line about several or none (`included: ... for h1, h2`). */
export function lineHost(line: string): string {
  return /^[a-zA-Z -]+: \[([^\]]+)\]/.exec(line)?.[1] ?? '';
}

/** Sorts by host only: Array.prototype.sort is stable, so each host's lines stay in printed order. */
function byHost(lines: string[]): string[] {
  return lines.sort((a, b) => (lineHost(a) < lineHost(b) ? -1 : lineHost(a) > lineHost(b) ? 1 : 0));
}

const BANNER = /^(PLAY \[.*\]|TASK \[.*\]|RUNNING HANDLER \[.*\]|PLAY RECAP|NO MORE HOSTS LEFT) \*+$/;
const ENTRY = /^(ok|changed|skipping|fatal|failed|included|FAILED - RETRYING|skipping: no hosts matched)\b|^(ok|changed|skipping|fatal|failed): \[/;

/** Times and durations differ from run to run. */
function normalise(line: string): string {
  return line
    .replace(/"(start|end|delta)": "[^"]*"/g, '"$1": "<time>"')
    // Hosts of an include are listed in the order they finished; the item, when there is one, comes after them.
    .replace(/^(included: \S+ for )(.*?)( => \(item=.*\))?$/, (_m, a: string, hosts: string, item?: string) => a + hosts.split(', ').sort().join(', ') + (item ?? ''))
    .replace(/\s+$/, '');
}

/** Splits plain output into banners and their host lines; a repeated banner (Ansible prints one per host for meta tasks) counts once. */
export function parseSections(stdout: string): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  let entry: string[] | undefined;
  const close = () => {
    if (entry && current) current.lines.push(entry.join('\n'));
    entry = undefined;
  };
  for (const raw of stdout.split('\n')) {
    const line = normalise(raw);
    if (!line) continue;
    const b = BANNER.exec(line);
    if (b) {
      close();
      if (b[1] === 'PLAY RECAP') break;
      if (current && current.banner === b[1]) continue;
      current = { banner: b[1], lines: [] };
      sections.push(current);
      continue;
    }
    if (!current) continue;
    if (line === '...ignoring' && entry) {
      entry.push(line);
      continue;
    }
    if (ENTRY.test(line)) {
      close();
      entry = [line];
    } else if (entry) {
      entry.push(line);
    }
  }
  close();
  for (const s of sections) byHost(s.lines);
  return sections;
}

/**
 * Every host's lines across the whole output, in the order they were printed
 * (lines about several hosts or none under ''). For output whose banners do
 * not line up (Ansible reprints a stale banner after flush_handlers), this
 * still checks that each host ran its tasks and handlers in the same order.
 */
export function linesPerHost(stdout: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of parseSections(stdout).flatMap((s) => s.lines)) (out[lineHost(line)] ??= []).push(line);
  return out;
}

/** A parity case: a playbook under playbooks/ with its inventory, options, and environment for ansible-playbook on top of the helpers'. */
export interface ParityCase {
  playbook: string;
  inventory?: string;
  args?: string[];
  ansibleEnv?: Record<string, string>;
}

export interface ParityRun {
  ansible: Run;
  tsplay: Run;
  /** The empty directory each tool was given as the extra variable `workdir`. */
  workdirs: { ansible: string; tsplay: string };
  /** How long tsplay took, from the start of both runs. */
  tsplayMs: number;
}

/** Runs a case through both tools at once, each with its own empty `workdir`. */
export async function runParityCase(cli: string, c: ParityCase): Promise<ParityRun> {
  const scratch = scratchDir();
  const workdirs = { ansible: path.join(scratch, 'ansible'), tsplay: path.join(scratch, 'tsplay') };
  mkdirSync(workdirs.ansible);
  mkdirSync(workdirs.tsplay);
  const args = (w: string) => [path.join('playbooks', c.playbook), ...(c.inventory ? ['-i', c.inventory] : []), '-e', `workdir=${w}`, ...(c.args ?? [])];
  const started = Date.now();
  let tsplayMs = 0;
  const [ansible, tsplay] = await Promise.all([
    exec('ansible-playbook', args(workdirs.ansible), { cwd: compatDir, env: { ...ansibleEnv, ...c.ansibleEnv } }),
    runTsplay(cli, args(workdirs.tsplay)).then((r) => {
      tsplayMs = Date.now() - started;
      return r;
    }),
  ]);
  return { ansible, tsplay, workdirs, tsplayMs };
}

/**
 * Runs every case's playbook through both tools once, two cases at a time,
 * before the file's tests (tap's `before`); the tests then read each
 * outcome by the case's name.
 */
export function parityOutcomesBefore(tap: { before: (fn: () => Promise<void>) => void }, cases: { name: string; playbook: string }[], inventory = 'inventories/one.ini'): (name: string) => ParityRun {
  const outcomes = new Map<string, ParityRun>();
  tap.before(async () => {
    const cli = buildCli('parity');
    await pool(cases, 2, async (c) => {
      outcomes.set(c.name, await runParityCase(cli, { playbook: c.playbook, inventory }));
    });
  });
  return (name) => {
    const o = outcomes.get(name);
    if (!o) throw new Error(`case ${name} did not run`);
    return o;
  };
}

/** Both tools' whole output, for an assertion's diagnostics. */
export function bothOutputs(o: { ansible: Run; tsplay: Run }): string {
  return `\n--- ansible-playbook\n${o.ansible.stdout}${o.ansible.stderr}\n--- tsplay\n${o.tsplay.stdout}${o.tsplay.stderr}`;
}

/** Asserts Ansible ran some hosts (else the case compares nothing), and that tsplay's PLAY RECAP and exit code are Ansible's. */
export function sameRecapAndExit(t: Test, o: { ansible: Run; tsplay: Run }, detail: string): void {
  const ansibleRecap = parseRecap(o.ansible.stdout);
  // A case where Ansible ran no host compares nothing: the inventory or playbook is wrong.
  t.ok(Object.keys(ansibleRecap).length > 0, 'ansible-playbook ran some hosts', { detail: o.ansible.stdout + o.ansible.stderr });
  t.same(parseRecap(o.tsplay.stdout), ansibleRecap, 'same PLAY RECAP', { detail });
  t.equal(o.tsplay.code, o.ansible.code, 'same exit code', { detail });
}

/** Asserts both tools printed the same banners in the same order, and the same host lines under each. */
export function sameSections(t: Test, o: { ansible: Run; tsplay: Run }, extra: { detail?: string } = {}): void {
  const a = parseSections(o.ansible.stdout);
  const b = parseSections(o.tsplay.stdout);
  t.same(
    b.map((s) => s.banner),
    a.map((s) => s.banner),
    'same banners in the same order',
    extra,
  );
  t.same(b, a, 'same host lines under each banner', extra);
}

/** What `re` finds in the output (the host in group 1, the text in group 2), per host in output order. */
export function perHost(stdout: string, re: RegExp, text: (s: string) => string = (s) => s): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of stdout.matchAll(re)) (out[m[1]] ??= []).push(text(m[2]));
  return out;
}

export { pool };
