/** Runs `npm run bench -- --quick` for some runners and checks its table and --json, as the bench tests share it. */
import type { Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LABELS: Record<string, string> = {
  ansible: 'ansible-playbook (defaults)',
  tuned: 'ansible-playbook (tuned)',
  mitogen: 'ansible + mitogen',
  tsplay: 'tsplay',
  floor: 'floor (plain shell)',
};

function run(args: string[]) {
  return spawnSync('npm', ['run', '-s', 'bench', '--', ...args], { cwd: REPO, encoding: 'utf8', timeout: 1_200_000 });
}

export async function benchTable(t: Test, runners: string[], dist: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-bench-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const json = join(dir, 'bench.json');
  const r = run(['--quick', '--runners', runners.join(','), '--dist', dist, '--json', json]);
  t.equal(r.status, 0, r.stderr.slice(-2000));
  const lines = r.stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('hosts  runner'));
  t.ok(header >= 0, 'the table has its header');
  const rows = lines.slice(header + 1).filter((l) => /^\d+\s{2}/.test(l));
  for (const hosts of [1, 2]) {
    for (const runner of runners.map((r) => LABELS[r])) {
      const row = rows.find((l) => l.startsWith(`${hosts}  `) && l.includes(runner));
      t.ok(row, `a row for ${runner} at ${hosts} host(s)`);
      // Every runner finished its first run and its re-run: times, CPU and memory in the row, no failure noted.
      t.match(row ?? '', /\d+\.\d\d s\s+\d+\.\d\d s\s+\d+\.\d\d s\s+\d+ MB\s+\d+\.\d\d s\s+\d+\.\d\d s\s+\d+\.\d\d s\s+\d+ MB/, `${runner} at ${hosts}: both runs measured`);
      t.notMatch(row ?? '', /failed|timed out/, `${runner} at ${hosts}: no failure`);
      if (runner !== 'tsplay') t.match(row ?? '', /\d+\.\d+\s+\d+\.\d+$/, `${runner} at ${hosts}: tsplay's ratios`);
    }
  }
  const data = JSON.parse(readFileSync(json, 'utf8')) as { cells: { runner: string; hosts: number; first: unknown[]; rerun: unknown[] }[] };
  t.equal(data.cells.length, runners.length * 2, `${runners.length} runners at two host counts in --json`);
  t.ok(data.cells.every((c) => c.first.length === 1 && c.rerun.length === 1), 'one first run and one re-run each');
}

benchTable.run = run;
