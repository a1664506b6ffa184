// The benchmark's quick smoke test, in the default run: `npm run bench --
// --quick` with tsplay and the plain-shell floor on 1 and 2 hosts prints its
// table and --json. Every runner (Ansible's defaults, tuned, mitogen) is
// tested by tests/bench/bench-full.test.ts (`npm run test:bench`). Only the
// table's shape and the runs' success are checked: figures are the
// benchmark's business. tsplay runs from the run's test build, never dist/.
import t from 'tap';
import { builtDist } from '../helpers/build.js';
import { benchTable } from './table.js';

t.test('npm run bench -- --quick --runners tsplay,floor prints a row for each at 1 and 2 hosts', async (t) => {
  await benchTable(t, ['tsplay', 'floor'], builtDist());
});

t.test('bad options are refused with the usage', async (t) => {
  const r = await benchTable.run(['--runners', 'chef']);
  t.equal(r.status, 2);
  t.match(r.stderr, /usage: npm run bench/);
});
