/**
 * Template result types as Ansible 2.14 gives them (jinja2_native off). The
 * expected values in fixtures/ansible-types.json come from ansible-core
 * 2.14's own Templar and Conditional run over the same variables;
 * tests/compat/parity-types.test.ts checks the same through whole playbooks.
 */
import t from 'tap';
import type { Ctx } from '../../lib/template/context.js';
import { makeCtx, renderTemplate } from '../../lib/template/render.js';
import { readFileSync } from 'node:fs';
import { evaluateCondition, evaluateExpression, renderString, renderValue, renderVar } from '../../lib/template/index.js';
import { literalEval, NOT_LITERAL } from '../../lib/template/literal.js';
import { PyFloat, pyFloatRepr, pyIntRepr } from '../../lib/template/numbers.js';
import { pyStrRepr } from '../../lib/template/values.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/ansible-types.json', import.meta.url), 'utf8')) as {
  templates: [string, string, unknown][];
  conditions: [string, boolean][];
};

const vars: Record<string, unknown> = {
  rc: 0, n: null, b: true, l: ['a', 'b'], d: { k: 'v', n: 1 }, s: '5', sl: '[1, 2]', st: 'True', tpl: '{{ 8000 + 1 }}', ltpl: ['{{ 1 }}', 2],
  sf: 'false', e: '', five: '{{ 5 }}', nested: { p: '{{ 8000 + 1 }}' }, uni: 'caf\u00e9\u200b', quote: "it's",
};

function pyType(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

t.test('renderValue gives the type and value Ansible gives', async (t) => {
  for (const [src, type, value] of fixture.templates) {
    const got = renderValue(src, vars);
    t.equal(pyType(got), type, `type of ${JSON.stringify(src)}`);
    t.strictSame(JSON.parse(JSON.stringify(got)), value, `value of ${JSON.stringify(src)}`);
  }
});

t.test('conditions give the answer Ansible gives', async (t) => {
  const cv = { ...vars, port: '{{ 8000 + 1 }}', iport: 8001, tl: '{{ [1,2] }}' };
  for (const [c, want] of fixture.conditions) t.equal(evaluateCondition(c, cv), want, c);
  t.throws(() => evaluateCondition('five + 1 == 6', cv), /unsupported operand types for \+: 'str' and 'int'/, 'a template variable is text: + needs | int');
  t.throws(() => evaluateCondition("{{ 'x' }}", cv), /'x' is undefined/, 'the text of a {{ }} condition is evaluated again');
});

t.test('debug var= templates the expression as Ansible debug does', async (t) => {
  t.equal(renderVar('rc', vars), 0, 'a variable holding a number');
  t.equal(renderVar('tpl', vars), '8001', 'a template variable is text');
  t.equal(renderVar('rc + 1', vars), '1', 'an expression gives text');
  t.strictSame(renderVar('l', vars), ['a', 'b']);
  t.strictSame(renderVar('sl', vars), [1, 2], 'text that reads as a list is a list');
  t.equal(renderVar('{{ s }}', vars), '5', 'a var given with braces is templated as it is');
  t.equal(renderVar('n', vars), null);
  t.throws(() => renderVar('nope', vars), /'nope' is undefined/);
  t.equal(evaluateExpression('rc + 1', vars), 1, 'evaluateExpression keeps native values');
  t.equal(evaluateExpression('10 / 2', vars), 5, 'and hands plain numbers to its caller');
});

t.test('renderString is text without conversion', async (t) => {
  t.equal(renderString('{{ l }}', vars), "['a', 'b']");
  t.equal(renderString('{{ "True" }}', vars), 'True');
  t.equal(renderString('{{ 10 / 4 }}', vars), '2.5');
});

t.test('Python floats print as Python prints them', async (t) => {
  const cases: [string, string][] = [
    ['{{ 10 / 2 }}', '5.0'], ['{{ 1.0 }}', '1.0'], ['{{ 1e16 }}', '1e+16'], ['{{ 1e15 }}', '1000000000000000.0'], ['{{ 0.0001 }}', '0.0001'],
    ['{{ 0.00001 }}', '1e-05'], ['{{ -2.5 * 2 }}', '-5.0'], ['{{ 5 | float }}', '5.0'], ['{{ "x" | float }}', '0.0'], ['{{ 5.0 | int }}', '5'],
    ['{{ 2.5 | round }}', '2.0'], ['{{ 3 | round }}', '3'], ['{{ [1, 2.0] | sum }}', '3.0'], ['{{ -(4 / 2) }}', '-2.0'], ['{{ 4 / 2 == 2 }}', 'True'],
    ['{{ (4 / 2) | type_debug }}', 'float'], ['{{ 4 // 2 }}', '2'], ['{{ 4.0 // 2 }}', '2.0'], ['{{ 2 ** -1 }}', '0.5'], ['{{ 2 ** 2 }}', '4'],
    ['{{ (10 / 2) | to_json }}', '5.0'], ['x={{ [10 / 2] }}', 'x=[5.0]'], ['{{ (10/2) | string }}', '5.0'], ['{{ 2 ** 80 }}', '1208925819614629174706176'],
    ['{{ 5.0 is integer }} {{ 5.0 is float }} {{ 5 is float }}', 'False True False'],
  ];
  for (const [src, want] of cases) t.equal(renderString(src, {}), want, src);
  t.equal(pyFloatRepr(0.1 + 0.2), '0.30000000000000004');
  t.equal(pyFloatRepr(-0), '-0.0');
  t.equal(pyFloatRepr(Infinity), 'inf');
  t.equal(pyIntRepr(1e21), '1000000000000000000000');
  t.equal(String(new PyFloat(3)), '3.0');
  t.equal(JSON.stringify({ a: new PyFloat(3) }), '{"a":3}', 'a box that escapes serialises as a number');
  t.strictSame(renderValue('{{ {"a": 10 / 2} }}', {}), { a: 5 }, 'values handed to the engine hold plain numbers');
});

t.test("Python's repr of text", async (t) => {
  t.equal(pyStrRepr("it's"), `"it's"`);
  t.equal(pyStrRepr(`it's "x"`), `'it\\'s "x"'`);
  t.equal(pyStrRepr('a\tb\nc\rd\x00\x7f'), "'a\\tb\\nc\\rd\\x00\\x7f'");
  t.equal(pyStrRepr('caf\u00e9\u200b\u00a0'), "'caf\u00e9\\u200b\\xa0'");
  t.equal(pyStrRepr('\\'), "'\\\\'");
  t.equal(pyStrRepr('😀'), "'😀'");
});

t.test("literal_eval as ansible_eval_concat applies it", async (t) => {
  t.strictSame(literalEval('[1, 2]'), [1, 2]);
  t.strictSame(literalEval("{'a': [True, None, null, true, false]}"), { a: [true, null, null, true, false] });
  t.strictSame(literalEval('[1], [2]'), [[1], [2]], 'a tuple');
  t.strictSame(literalEval('{1, 2}'), [1, 2], 'a set');
  t.strictSame(literalEval('[-1, +2, 0x1f, 0o7, 0b11, 1_000]'), [-1, 2, 31, 7, 3, 1000]);
  t.ok(literalEval('[1.0]') instanceof Array && (literalEval('[1.0]') as unknown[])[0] instanceof PyFloat, '1.0 stays a float');
  t.strictSame(literalEval("['a' 'b', r'\\d', '\\x41\\u00e9']"), ['ab', '\\d', 'A\u00e9']);
  t.strictSame(literalEval("{'__proto__': 1}"), JSON.parse('{"__proto__": 1}'), '__proto__ is an ordinary key');
  t.equal(Object.getPrototypeOf(literalEval("{'__proto__': {'x': 1}}")), Object.prototype);
  for (const bad of ['[web]', '[1, 2', '[007]', '[1 + 2]', '[f"x"]', '[1] x', ' [1]', '[' .repeat(300) + ']'.repeat(300), '{[1]: 2}', '[1j]']) {
    t.equal(literalEval(bad), NOT_LITERAL, `not a literal: ${bad.slice(0, 20)}`);
  }
});

t.test('lazy variables render once per evaluation, with the variables of that evaluation', async (t) => {
  const chain: Record<string, unknown> = { v0: 'x', n0: 1 };
  for (let i = 1; i <= 25; i++) {
    chain[`v${i}`] = `{{ v${i - 1} ~ v${i - 1} }}`;
    chain[`n${i}`] = `{{ n${i - 1} | int + n${i - 1} | int }}`;
  }
  t.equal(renderValue('{{ n25 }}', chain), String(2 ** 25));
  t.equal(renderValue('{{ v25 | length }}', chain), String(2 ** 25));
  // Counted, not timed: one render per templated variable of the chain.
  const base = makeCtx(chain);
  let renders = 0;
  const counting: Ctx = { ...base, renderLazy: (source, ctx) => (renders++, base.renderLazy(source, ctx)) };
  renderTemplate('{{ n25 }} {{ v25 | length }}', counting, false);
  t.equal(renders, 50, 'each of v1..v25 and n1..n25 rendered once');
  t.equal(renderValue('{{ n25 }}', { ...chain, n0: 2 }), String(2 ** 26), 'other variables: rendered again');
  chain.n0 = 3;
  t.equal(renderValue('{{ n25 }}', chain), String(3 * 2 ** 25), 'the same object changed between evaluations: rendered again');
  let calls = 0;
  const counted = new Proxy({ a: '{{ b }}', b: 'x', c: '{{ a ~ a ~ a }}' }, {
    get(target, k) {
      if (k === 'b') calls++;
      return Reflect.get(target, k);
    },
  });
  t.equal(renderValue('{{ c }} {{ a }}', counted), 'xxx x');
  t.ok(calls <= 2, `a variable used four times is rendered once (b read ${calls} times)`);
  t.equal(renderString('{% for b in l %}{{ a }}{% endfor %}', { l: [1, 2], a: '{{ b }}', b: 'outer' }), 'outerouter', "a variable's template does not see names bound where it is used");
  t.equal(renderString('{{ m }} {{ m is defined }}', { m: '{{ missing | default("d") }}' }), 'd True');
  t.equal(renderString('{{ u | default("f") }} {{ u is defined }}', { u: '{{ missing }}' }), 'f False', 'an undefined lazy variable stays undefined when used again');
});
