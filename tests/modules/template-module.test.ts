// The template module's errors: a statement tsplay does not support names the
// template's file:line:col; an undefined variable names its line; nothing is
// written. A good template is written once and left alone the second time.
import t from 'tap';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTask, tempDir } from './helpers.js';

t.test('template: errors with file:line:col, a clean second run', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'templates'));
  const bad = path.join(dir, 'templates', 'bad.j2');
  writeFileSync(bad, 'a\nb\n  {% macro m() %}x{% endmacro %}\n');
  const r = await runTask({ template: { src: bad, dest: path.join(dir, 'out') } });
  t.equal(r.status, 'failed');
  t.match(r.msg, /bad\.j2:3:3: '\{% macro m\(\) %\}' at line 3, column 3 is not supported/);
  t.notOk(existsSync(path.join(dir, 'out')));

  const undef = path.join(dir, 'templates', 'undef.j2');
  writeFileSync(undef, 'x\n{% if nope %}y{% endif %}\n');
  t.match((await runTask({ template: { src: undef, dest: path.join(dir, 'out') } })).msg, /undef\.j2:2:1: 'nope' is undefined/);

  const good = path.join(dir, 'templates', 'good.j2');
  writeFileSync(good, '{% for m in members %}{{ m }}{{ "," if not loop.last else "" }}{% endfor %}\n');
  const dest = path.join(dir, 'good');
  const first = await runTask({ 'ansible.builtin.template': { src: good, dest, mode: '0640' } }, { vars: { members: ['a', 'b'] } });
  t.equal(first.status, 'changed', first.msg);
  t.equal(readFileSync(dest, 'utf8'), 'a,b\n');
  t.equal((await runTask({ template: { src: good, dest, mode: '0640' } }, { vars: { members: ['a', 'b'] } })).status, 'ok');
  t.match((await runTask({ template: { src: good, dest, trim_blocks: false } })).msg, /unsupported argument 'trim_blocks'/);
});
