/**
 * Hostile YAML through the loaders a user's files go through: playbooks,
 * vars files, inventories and -e. Each must finish quickly with the value
 * Ansible reads, or stop with a clear error (kind, file:line:col, exit code
 * 4), never a stack overflow or a run that does not end.
 */
import t from 'tap';
import path from 'node:path';
import { parseExtraVars } from '../../lib/cli/extra-vars.js';
import { describeError } from '../../lib/cli/report-error.js';
import { loadInventory } from '../../lib/inventory/index.js';
import { loadPlaybook } from '../../lib/playbook/load.js';
import { loadYamlFile, parseYaml } from '../../lib/playbook/yaml-source.js';
import { collectLoadWarnings } from '../../lib/yaml/warnings.js';
import { runPlaybook } from '../../lib/engine/run.js';
import type { RunEvent } from '../../lib/output/events.js';
import { laughs, play, project } from './helpers.js';

/** The error a call throws, as the CLI would report it. */
function failure(fn: () => unknown): { text: string; exitCode: number; error: unknown } {
  try {
    fn();
  } catch (e) {
    return { ...describeError(e, 0), error: e };
  }
  throw new Error('expected an error');
}
async function failureAsync(fn: () => Promise<unknown>): Promise<{ text: string; exitCode: number }> {
  try {
    await fn();
  } catch (e) {
    return describeError(e, 0);
  }
  throw new Error('expected an error');
}

const BOUND_MS = 60_000; // a safety net against a hang, not a speed test (Ansible reads these in about 2 s)

t.test('billion laughs (9 levels of aliases) loads fast everywhere a file is read', async (t) => {
  const dir = project({
    'play.yml': play('    - debug: msg=hi\n', laughs(9, '    ')),
    'vars.yml': laughs(9),
    'inv.yml': `all:\n  hosts:\n    h1:\n  vars:\n${laughs(9, '    ')}`,
    'inv.ini': 'h1\n',
  });
  let started = Date.now();
  const pb = await loadPlaybook(path.join(dir, 'play.yml'));
  t.equal(pb.plays.length, 1, 'the playbook loads');
  t.ok('lol9' in pb.plays[0].vars, 'with the unused value in its vars');
  const l5 = pb.plays[0].vars.lol5 as unknown[][];
  t.equal(l5.length, 10, 'a smaller level has its ten items');
  t.equal(l5[0], l5[1], 'an alias shares its anchor\'s value instead of copying it');
  t.ok(Date.now() - started < BOUND_MS, 'within the time bound');

  started = Date.now();
  const vars = loadYamlFile(path.join(dir, 'vars.yml'), 'vars file', '') as Record<string, unknown>;
  t.equal((vars.lol1 as unknown[]).length, 10, 'a vars file loads');
  const extra = parseExtraVars([`@${path.join(dir, 'vars.yml')}`]);
  t.ok('lol9' in extra, '-e @file loads');
  const inv = await loadInventory([path.join(dir, 'inv.yml')]);
  t.ok(inv.hostVars('h1').lol9, 'a YAML inventory loads');
  t.ok(Date.now() - started < BOUND_MS, 'within the time bound');
});

t.test('billion laughs, used, is a task error naming the value, quickly', async (t) => {
  const dir = project({ 'play.yml': play('    - debug: msg="{{ lol9 | length }}"\n    - debug: var=lol9\n', laughs(9, '    ')) });
  const started = Date.now();
  const events: RunEvent[] = [];
  const result = await runPlaybook({ playbooks: [path.join(dir, 'play.yml')], inventory: [], reporters: [(e) => events.push(e)] });
  t.equal(result.exitCode, 2, 'the task fails, exit 2');
  const failed = events.find((e) => e.type === 'host_result' && e.status === 'failed') as { result: { msg?: string } } | undefined;
  t.match(failed?.result.msg, /&lol9 expands to 1\.1e\+9 items through aliases/, 'the message names the value and why');
  t.ok(Date.now() - started < BOUND_MS, 'within the time bound');
  const small = parseYaml(laughs(5), 'small.yml') as Record<string, unknown[]>;
  t.equal(small.lol5.length, 10, 'a value under the bound is used as usual');
});

t.test('a self-referential alias is a clear error, also through -e', async (t) => {
  const dir = project({ 'play.yml': play('    - debug: msg=hi\n', '    a: &a {k: *a}\n') });
  const r = await failureAsync(() => loadPlaybook(path.join(dir, 'play.yml')));
  t.equal(r.exitCode, 4, 'exit code 4, a parse error');
  t.match(r.text, /alias '\*a' is inside the value it refers to/, 'says what is wrong');
  t.match(r.text, /play\.yml:4:15/, 'names file:line:col');
  t.notMatch(r.text, /Maximum call stack|bug in tsplay/, 'not a crash');
  for (const e of ['{a: &a {k: *a}}', '--- &x [*x]', '{a: &a [1, {b: *a}]}']) {
    const f = failure(() => parseExtraVars([e]));
    t.equal(f.exitCode, 4, `-e '${e}': exit code 4`);
    t.match(f.text, /inside the value it refers to/, `-e '${e}': clear message`);
  }
});

t.test('an undefined or forward alias is "found undefined alias", exit 4', async (t) => {
  for (const [name, vars] of [
    ['undefined', '    a: *nope\n'],
    ['forward', '    a: *later\n    b: &later 1\n'],
  ]) {
    const dir = project({ 'play.yml': play('    - debug: msg=hi\n', vars) });
    const r = await failureAsync(() => loadPlaybook(path.join(dir, 'play.yml')));
    t.equal(r.exitCode, 4, `${name}: exit 4 as Ansible`);
    t.match(r.text, /found undefined alias/, `${name}: Ansible's words`);
    t.match(r.text, /play\.yml:4:8/, `${name}: points at the alias`);
  }
  const inv = project({ 'inv.yml': 'all:\n  hosts:\n    h1: *nope\n' });
  const r = await failureAsync(() => loadInventory([path.join(inv, 'inv.yml')]));
  t.match(r.text, /found undefined alias '\*nope'/, 'in an inventory too');
});

t.test('merge keys work as in PyYAML', async (t) => {
  const v = parseYaml(
    ['a: &a {x: 1, y: 1}', 'b: &b {y: 2, z: 2}', 'm:', '  <<: [*a, *b]', '  z: 3', "q: {'<<': 1}"].join('\n'),
    'merge.yml',
  ) as Record<string, Record<string, unknown>>;
  t.same(v.m, { x: 1, y: 1, z: 3 }, 'the first merged mapping wins over the next, the mapping\'s own keys over both');
  t.same(v.q, { '<<': 1 }, "a quoted '<<' is an ordinary key");
  const dir = project({ 'play.yml': play('    - &t\n      debug: msg=one\n    - <<: *t\n      name: merged\n') });
  const pb = await loadPlaybook(path.join(dir, 'play.yml'));
  const tasks = pb.plays[0].tasks as Array<{ name?: string; module?: string; args?: unknown }>;
  t.equal(tasks.length, 2, 'a task merged from another loads');
  t.equal(tasks[1].name, 'merged', 'with its own keys');
  t.equal(tasks[1].module, 'debug', 'and the merged module');
  const bad = failure(() => parseYaml('a: &a 1\nm:\n  <<: *a\n', 'bad.yml'));
  t.match(bad.text, /merge key \(<<\) takes a mapping/, 'merging a scalar is a clear error');
  t.equal(bad.exitCode, 4, 'exit 4');
});

t.test('a duplicate key warns as Ansible does, and the last one wins', async (t) => {
  const warnings: string[] = [];
  const v = collectLoadWarnings((w) => warnings.push(w), () => parseYaml('x: 1\ny: 0\nx: 2\n', '/p/dup.yml')) as Record<string, unknown>;
  t.equal(v.x, 2, 'the last value wins');
  t.same(warnings, ['While constructing a mapping from /p/dup.yml, line 1, column 1, found a duplicate dict key (x). Using last defined value only.'], "Ansible's warning");
  const dir = project({ 'inv.yml': 'all:\n  hosts:\n    h1:\n      a: 1\n      a: 2\n' });
  const invWarnings: string[] = [];
  const inv = await collectLoadWarnings((w) => invWarnings.push(w), () => loadInventory([path.join(dir, 'inv.yml')]));
  t.equal(inv.hostVars('h1').a, 2, 'in an inventory the last value wins too');
  t.equal(invWarnings.length, 1, 'and the warning is given once');
  t.match(invWarnings[0], /inv\.yml, line 4, column 7, found a duplicate dict key \(a\)/, 'at the mapping, as Ansible');
});

t.test('a BOM is accepted; a file that is not UTF-8 is a clear error', async (t) => {
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(play('    - debug: msg=bom\n'))]);
  const latin1 = Buffer.from(play('    - debug: msg="caf\xe9"\n'), 'latin1');
  const dir = project({ 'bom.yml': bom, 'latin1.yml': latin1, 'latin1.ini': Buffer.from('h1 x=caf\xe9\n', 'latin1') });
  const pb = await loadPlaybook(path.join(dir, 'bom.yml'));
  t.equal(pb.plays.length, 1, 'a playbook with a BOM loads');
  const r = await failureAsync(() => loadPlaybook(path.join(dir, 'latin1.yml')));
  t.match(r.text, /is not UTF-8 text: byte 0xE9/, 'names the byte');
  t.match(r.text, /latin1\.yml:4:22/, 'and where it is');
  t.match(r.text, /To fix it: save the file as UTF-8/, 'says what to do');
  t.equal(r.exitCode, 4, 'exit 4');
  const i = await failureAsync(() => loadInventory([path.join(dir, 'latin1.ini')]));
  t.match(i.text, /inventory file .* is not UTF-8 text/, 'an inventory too');
});

t.test('deep nesting is a clear error, not a stack overflow', async (t) => {
  for (const [name, text] of [
    ['flow', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['bounded', `a: ${'['.repeat(300)}${']'.repeat(300)}\n`],
    ['block', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n'],
  ]) {
    const r = failure(() => parseYaml(text, 'deep.yml'));
    t.equal(r.exitCode, 4, `${name}: exit 4`);
    t.match(r.text, /nested (more than \d+ levels deep|too deeply)/, `${name}: says it is nested too deeply`);
    t.notMatch(r.text, /Fix the YAML at that position|fix the YAML at that position/i, `${name}: no hint to look for a typo`);
    t.notMatch(r.text, /Maximum call stack/, `${name}: no stack overflow message`);
  }
  const ok = parseYaml(`a: ${'['.repeat(100)}1${']'.repeat(100)}\n`, 'ok.yml');
  t.ok(ok, '100 levels still read');
  const nest = (n: number, inner: string) => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
  const chain = (n: number, links: number) =>
    Array.from({ length: links }, (_, i) => `a${i}: &a${i} ${nest(n, i ? `*a${i - 1}` : '1')}`).join('\n') + '\n';
  const r = failure(() => parseYaml(chain(120, 5), 'chain.yml'));
  t.match(r.text, /nested more than \d+ levels deep/, 'aliases of deep values do not stack up past the bound');
  t.match(r.text, /chain\.yml:2:\d+/, 'the error points at the alias that goes too deep');
  t.ok(parseYaml(chain(40, 3), 'chain.yml'), 'a chain within the bound still reads');
});
