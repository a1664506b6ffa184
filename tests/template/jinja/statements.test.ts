// Jinja statements and whitespace rules, each case rendered by the real
// ansible-playbook template module and by tsplay: the bytes must match.
import t from 'tap';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAnsible } from '../../compat/helpers.js';
import { renderString } from '../../../lib/template/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const vars = { l: [1, 2, 3], t: true, f: false, d: { b: 1, a: 2 }, s: 'x y' };

const cases: Record<string, string> = {
  loop_vars: '{% for x in l %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.length }}/{{ loop.first }}/{{ loop.last }}/{{ loop.revindex }} {% endfor %}\n',
  lstrip_off: 'a\n  {% if t %}\n  yes\n  {% endif %}\nb\n',
  dash_control: 'start\n  {%- if t -%}  x  {%- endif -%}\n\nend\n',
  comments: '{# comment #}\nline\n{#- c2 -#}   z\n{# multi\nline #}\nlast\n',
  set_in_if: '{% set a = 1 %}{% if t %}{% set a = 2 %}{% endif %}{{ a }}\n',
  set_in_for: '{% set n = 0 %}{% for x in l %}{% set n = x %}[{{ n }}]{% endfor %}{{ n }}\n',
  items: '{% for k, v in d.items() %}{{ k }}={{ v }}\n{% endfor %}',
  dict_keys: '{% for k in d %}{{ k }}{% endfor %}\n',
  for_filter_else: '{% for x in l if x > 1 %}{{ x }}{% else %}none{% endfor %}|{% for x in [] %}{% else %}empty{% endfor %}\n',
  raw: '{% raw %}{{ not }} {% if %}{% endraw %}\n',
  elif_chain: '{% if a is defined %}A{% elif f %}F{% elif t %}T{% else %}E{% endif %}\n\n\n',
  crlf: 'a\r\n{% if t %}\r\nb\r\n{% endif %}\r\nc\r\n',
  blank_after_tag: '{% for x in l %}\n\n{{ x }}\n{% endfor %}\nend\n',
  plus_keeps_newline: '{% if t +%}\nkeep\n{% endif %}\n',
  nested_loops: '{% for a in l %}{% for b in l %}{{ loop.index }}{% endfor %}:{{ loop.index }} {% endfor %}\n',
  no_final_newline: 'x{% if t %}y{% endif %}',
  expr_dash: 'a   {{- s -}}   b\n{{ s }}\n',
  strings_with_tags: '{% if "%}" in "a%}" %}q{% endif %}{{ "{%" }}\n',
  for_string: '{% for c in "ab" %}{{ c }}.{% endfor %}\n',
};

t.test('statements and whitespace: the same bytes as ansible-playbook', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-jinja-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const src = path.join(dir, 'src');
  const out = path.join(dir, 'out');
  mkdirSync(src);
  mkdirSync(out);
  for (const [name, text] of Object.entries(cases)) writeFileSync(path.join(src, name), text);
  const run = await runAnsible(
    ['-i', path.join(here, 'hosts'), path.join(here, 'render-compat.yml'),
      '-e', JSON.stringify({ ...vars, j2_dir: src, out_dir: out, templates: Object.keys(cases) })],
    here,
  );
  t.equal(run.code, 0, run.stdout.slice(-2000));
  for (const [name, text] of Object.entries(cases)) {
    t.equal(renderString(text, vars), readFileSync(path.join(out, name), 'utf8'), name);
  }
});

t.test('errors name the line and column', async (t) => {
  const err = (src: string) => {
    try {
      renderString(src, vars);
      return 'rendered';
    } catch (e) {
      return (e as Error).message;
    }
  };
  t.match(err('a\n{% if t %}b'), /'\{% if %\}' at line 2, column 1 has no '\{% endif %\}'/);
  t.match(err('a\n  {% endfor %}'), /'\{% endfor %\}' at line 2, column 3 has no matching opening statement/);
  t.match(err('{% include "x" %}'), /'\{% include "x" %\}' at line 1, column 1 is not supported/);
  t.match(err('{% set a, b = 1, 2 %}'), /only '\{% set name = expression %\}'/);
  t.match(err('x\n{% if nope %}y{% endif %}'), /'nope' is undefined.*line 2, column 1/);
  t.match(err('{% for x in 5 %}{% endfor %}'), /not iterable.*line 1, column 1/);
  t.match(err('{% if t %}ok\n{{ a'), /'\{\{' opened at line 2, column 1 is never closed/);
  t.match(err('{% for x in l %}{{ loop.nope }}{% endfor %}'), /nope/);
});
