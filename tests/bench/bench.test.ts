// `npm run bench -- --quick` runs every runner on 1 and 2 hosts and prints one
// table with a row per runner and host count. Only the table's shape and the
// runs' success are checked here: figures are the benchmark's business.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RUNNERS = ['ansible-playbook (defaults)', 'ansible-playbook (tuned)', 'ansible + mitogen', 'tsplay', 'floor (plain shell)'];

t.test('npm run bench -- --quick prints a row for every runner at 1 and 2 hosts', async (t) => {
  const json = join(mkdtempSync(join(tmpdir(), 'tsplay-bench-test-')), 'bench.json');
  const r = spawnSync('npm', ['run', '-s', 'bench', '--', '--quick', '--json', json], { cwd: REPO, encoding: 'utf8', timeout: 1_200_000 });
  t.equal(r.status, 0, r.stderr.slice(-2000));
  const lines = r.stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('hosts  runner'));
  t.ok(header >= 0, 'the table has its header');
  const rows = lines.slice(header + 1).filter((l) => /^\d+\s{2}/.test(l));
  for (const hosts of [1, 2]) {
    for (const runner of RUNNERS) {
      const row = rows.find((l) => l.startsWith(`${hosts}  `) && l.includes(runner));
      t.ok(row, `a row for ${runner} at ${hosts} host(s)`);
      // Every runner finished its first run and its re-run: times, CPU and memory in the row, no failure noted.
      t.match(row ?? '', /\d+\.\d\d s\s+\d+\.\d\d s\s+\d+\.\d\d s\s+\d+ MB\s+\d+\.\d\d s\s+\d+\.\d\d s\s+\d+\.\d\d s\s+\d+ MB/, `${runner} at ${hosts}: both runs measured`);
      t.notMatch(row ?? '', /failed|timed out/, `${runner} at ${hosts}: no failure`);
      if (runner !== 'tsplay') t.match(row ?? '', /\d+\.\d+\s+\d+\.\d+$/, `${runner} at ${hosts}: tsplay's ratios`);
    }
  }
  const data = JSON.parse(readFileSync(json, 'utf8')) as { cells: { runner: string; hosts: number; first: unknown[]; rerun: unknown[] }[] };
  t.equal(data.cells.length, 10, 'five runners at two host counts in --json');
  t.ok(data.cells.every((c) => c.first.length === 1 && c.rerun.length === 1), 'one first run and one re-run each');
});

t.test('bad options are refused with the usage', async (t) => {
  const r = spawnSync('npm', ['run', '-s', 'bench', '--', '--runners', 'chef'], { cwd: REPO, encoding: 'utf8' });
  t.equal(r.status, 2);
  t.match(r.stderr, /usage: npm run bench/);
});
