import t from 'tap';
import { readJinjaHeader } from '../../../lib/template/jinja/header.js';
import { DEFAULT_LEX } from '../../../lib/template/jinja/lexer.js';
import { renderJinja } from '../../../lib/template/jinja/render.js';
import { makeCtx } from '../../../lib/template/render.js';

const render = (source: string, vars: Record<string, unknown> = {}) => {
  const { body, options } = readJinjaHeader(source);
  return renderJinja(body, makeCtx(vars), options);
};

t.test('without a header the text and settings are as they were', async (t) => {
  const r = readJinjaHeader('# jinja2: trim_blocks: False\n{{ 1 }}\n');
  t.equal(r.body, '# jinja2: trim_blocks: False\n{{ 1 }}\n', 'only `#jinja2:` at the very start is a header');
  t.equal(r.options, DEFAULT_LEX);
});

t.test('the header line is dropped and its settings apply', async (t) => {
  t.equal(render("#jinja2: variable_start_string: '<<', variable_end_string: '>>'\n<< a >> {{ a }}\n", { a: 1 }), '1 {{ a }}\n');
  t.equal(render('#jinja2: trim_blocks: False\n{% if true %}\nx\n{% endif %}\n'), '\nx\n', 'the newline after each tag stays');
  t.equal(render('#jinja2: lstrip_blocks: True\n  {% if true %}\n  x\n  {% endif %}\n'), '  x\n');
  t.equal(render("#jinja2: newline_sequence: '\\r\\n'\na\nb\n\n"), 'a\r\nb\r\n\r\n');
  t.equal(render("#jinja2: block_start_string: '<%', block_end_string: '%>'\n<% raw %>{{ x }}<% endraw %> {% x %}\n"), '{{ x }} {% x %}\n', 'raw ends at the new block delimiters');
});

t.test('a bad header is an error naming line 1, not a stack trace', async (t) => {
  t.throws(() => readJinjaHeader('#jinja2: trim_blocks False\nx'), { message: /line 1, column 1: failed to parse jinja2 override 'trim_blocks False'/ });
  t.throws(() => readJinjaHeader('#jinja2: autoescape: True\nx'), { message: /unknown jinja2 override 'autoescape'/ });
  t.throws(() => readJinjaHeader("#jinja2: trim_blocks: 'no'\nx"), { message: /'trim_blocks' needs a True or False/ });
  t.throws(() => readJinjaHeader('#jinja2: variable_start_string: [%\nx'), { message: /'variable_start_string' needs a quoted string/ });
  t.throws(() => readJinjaHeader("#jinja2: newline_sequence: 'x'\nx"), { message: /newline_sequence must be/ });
});
