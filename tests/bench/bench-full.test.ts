// The full benchmark table, out of the default run (`npm run test:bench`: it
// takes minutes): `npm run bench -- --quick` runs every runner on 1 and 2
// hosts and prints one table with a row per runner and host count. The
// default run has the quick smoke test, tests/bench/bench.test.ts.
import t from 'tap';
import { builtDist } from '../helpers/build.js';
import { benchTable } from './table.js';

t.test('npm run bench -- --quick prints a row for every runner at 1 and 2 hosts', async (t) => {
  await benchTable(t, ['ansible', 'tuned', 'mitogen', 'tsplay', 'floor'], builtDist());
});
