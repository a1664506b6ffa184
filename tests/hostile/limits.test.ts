/**
 * Work that would keep the controller busy, and so deaf to signals, is
 * bounded; and a second signal ends the process even when the cleanup the
 * first one started does not finish.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError } from '../../lib/cli/report-error.js';
import { loadInventory } from '../../lib/inventory/index.js';
import { project } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));

t.test('a host range of millions of hosts is refused quickly', async (t) => {
  const dir = project({
    'flat.ini': 'h[0:99999999]\n',
    'nested.ini': 'h[0:9999][0:999]\n',
    'inv.yml': 'all:\n  hosts:\n    h[0:99999999]:\n',
    'ok.ini': 'h[0:999][0:9]\n',
  });
  for (const f of ['flat.ini', 'nested.ini', 'inv.yml']) {
    const started = Date.now();
    let text = '';
    let exitCode = 0;
    try {
      await loadInventory([path.join(dir, f)]);
    } catch (e) {
      ({ text, exitCode } = describeError(e, 0));
    }
    t.equal(exitCode, 4, `${f}: exit 4, a parse error`);
    t.match(text, /stands for more than 100000 hosts/, `${f}: says why`);
    t.match(text, new RegExp(`${f.replace('.', '\\.')}:\\d+:\\d+`), `${f}: names where`);
    t.ok(Date.now() - started < 60_000, `${f}: refused within the time bound`);
  }
  const ok = await loadInventory([path.join(dir, 'ok.ini')]);
  t.equal(ok.hosts.size, 10_000, 'ten thousand hosts still load');
});

t.test('an INI value nested past Python\'s limit stays a string, as in Ansible', async (t) => {
  const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const dir = project({ 'ok.ini': `h1 x=${nest(200)}\n`, 'deep.ini': `h1 x=${nest(201)}\n`, 'huge.ini': `h1 x=${nest(50_000)}\n` });
  const ok = await loadInventory([path.join(dir, 'ok.ini')]);
  t.ok(Array.isArray(ok.hostVars('h1').x), '200 levels are a list (measured with ansible-inventory 2.14)');
  const deep = await loadInventory([path.join(dir, 'deep.ini')]);
  t.equal(deep.hostVars('h1').x, nest(201), '201 levels stay the string written');
  const huge = await loadInventory([path.join(dir, 'huge.ini')]);
  t.equal(huge.hostVars('h1').x, nest(50_000), '50,000 levels: a string, not a stack overflow');
});

t.test('a :children chain deeper than 1000 groups is refused quickly; 990 still load', async (t) => {
  const chain = (n: number) => Array.from({ length: n }, (_, i) => `[g${i}:children]\ng${i + 1}\n`).join('\n') + `[g${n}]\nh1\n[g0:vars]\nv=1\n`;
  const dir = project({ 'deep.ini': chain(20_000), 'ok.ini': chain(990) });
  const started = Date.now();
  let text = '';
  let exitCode = 0;
  try {
    await loadInventory([path.join(dir, 'deep.ini')]);
  } catch (e) {
    ({ text, exitCode } = describeError(e, 0));
  }
  t.match(text, /nests groups more than 1000 levels deep \(.*deep\.ini:\d+:1\)/, 'says why and where');
  t.equal(exitCode, 4, 'exit 4');
  t.notMatch(text, /Maximum call stack|bug in tsplay/, 'not a crash');
  t.ok(Date.now() - started < 60_000, 'within the time bound');
  const ok = await loadInventory([path.join(dir, 'ok.ini')]);
  t.equal(ok.hostVars('h1').v, 1, 'a 990-group chain loads and its vars reach the host');
});

t.test('a second signal exits at once when the first one\'s cleanup hangs', async (t) => {
  const child = spawn(process.execPath, ['--import', '@tapjs/typescript/import', path.join(here, 'fixtures', 'signal-twice.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const waitFor = (re: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (re.test(out) ? resolve() : undefined);
      child.stdout.on('data', (d) => {
        out += d;
        check();
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}${err}`)));
      check();
    });
  await waitFor(/ready/);
  child.kill('SIGTERM');
  await waitFor(/aborted/);
  t.equal(child.exitCode, null, 'the first SIGTERM starts the cleanup; the process is still there');
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGHUP');
  });
  t.equal(code, 99, 'the second signal ends it with exit 99');
  t.match(err, /Received SIGTERM/, 'the first signal was reported');
});
