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
  writeFileSync(bad, 'a\nb\n  {% include "x.j2" %}\n');
  const r = await runTask({ template: { src: bad, dest: path.join(dir, 'out') } });
  t.equal(r.status, 'failed');
  t.match(r.msg, /bad\.j2:3:3: '\{% include "x\.j2" %\}' at line 3, column 3 is not supported/);
  t.notOk(existsSync(path.join(dir, 'out')));

  const undef = path.join(dir, 'templates', 'undef.j2');
  writeFileSync(undef, 'x\n{% if nope %}y{% endif %}\n');
  t.match((await runTask({ template: { src: undef, dest: path.join(dir, 'out') } })).msg, /undef\.j2:2:1: 'nope' is undefined/);

  // A variable is never changed in place by a template; a macro's error names the line inside the macro.
  const mut = path.join(dir, 'templates', 'mut.j2');
  writeFileSync(mut, '{% macro add(d) %}\n{% if d.update({"b": 2}) %}{% endif %}\n{% endmacro %}\n{{ add(conf) }}\n');
  const conf = { a: 1 };
  const rm = await runTask({ template: { src: mut, dest: path.join(dir, 'out') } }, { vars: { conf } });
  t.equal(rm.status, 'failed');
  t.match(rm.msg, /mut\.j2:2:1: dict\.update\(\) would change a variable in place/);
  t.same(conf, { a: 1 });
  t.notOk(existsSync(path.join(dir, 'out')));

  const good = path.join(dir, 'templates', 'good.j2');
  writeFileSync(good, '{% for m in members %}{{ m }}{{ "," if not loop.last else "" }}{% endfor %}\n');
  const dest = path.join(dir, 'good');
  const first = await runTask({ 'ansible.builtin.template': { src: good, dest, mode: '0640' } }, { vars: { members: ['a', 'b'] } });
  t.equal(first.status, 'changed', first.msg);
  t.equal(readFileSync(dest, 'utf8'), 'a,b\n');
  t.equal((await runTask({ template: { src: good, dest, mode: '0640' } }, { vars: { members: ['a', 'b'] } })).status, 'ok');
  t.match((await runTask({ template: { src: good, dest, output_encoding: 'latin-1' } })).msg, /unsupported argument 'output_encoding'/);
});
