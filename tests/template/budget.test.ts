/**
 * The evaluation's time budget and the cost of parsing: work that would keep
 * the event loop for minutes, or exhaust the heap, on host data (a
 * registered stdout) ends as a template error of its task. A regular
 * expression that backtracks catastrophically runs in linear time (re2js)
 * when RE2 can take it, and within the time budget when it cannot
 * (a backreference).
 */
import t from 'tap';
import { TsplayError } from '../../lib/errors.js';
import { renderString, renderValue, evaluateCondition } from '../../lib/template/index.js';
import { loadYaml } from '../../lib/inventory/yaml-load.js';
import { BUDGET } from '../../lib/template/limits.js';

process.env.TSPLAY_EVAL_TIMEOUT = '2';
t.teardown(() => delete process.env.TSPLAY_EVAL_TIMEOUT);

const fails = (fn: () => unknown): TsplayError | undefined => {
  try {
    fn();
  } catch (e) {
    return e as TsplayError;
  }
  return undefined;
};

// What a host printed: 30,000 a's and a b, the classic input of catastrophic backtracking.
const stdout = 'a'.repeat(30_000) + 'b';

t.test('catastrophic patterns RE2 can take run in linear time on host data', async (t) => {
  const vars = { out: { stdout } };
  t.equal(renderString("{{ out.stdout | regex_replace('^(a+)+$', 'x') | length }}", vars), String(stdout.length), 'regex_replace: no match, the text unchanged');
  t.equal(evaluateCondition("out.stdout | regex_search('^(a|aa)+$') is none", vars), true, 'regex_search: no match');
  t.equal(renderString("{{ out.stdout | regex_findall('(a+)+c') | length }}", vars), '0', 'regex_findall: no match');
  t.equal(evaluateCondition("out.stdout is match('(a*)*$')", vars), false, 'the match test');
  t.equal(evaluateCondition("out.stdout is match('(a+)+b')", vars), true, 'the match test, matching');
  t.equal(evaluateCondition("out.stdout is search('(x+x+)+y')", vars), false, 'the search test');
});

t.test('Python syntax still means what it means', async (t) => {
  const vars = { s: 'key1=val1\nkey2=val2\n' };
  t.equal(renderString("{{ s | regex_replace('(?P<k>\\w+)=(\\w+)', '\\2:\\g<k>') }}", vars), 'val1:key1\nval2:key2\n', 'named groups and \\g<name>');
  t.same(renderValue("{{ s | regex_search('^key2=(?P<v>.*)$', '\\g<v>', multiline=True) }}", vars), ['val2'], 'multiline and a named group asked for');
  t.equal(renderString("{{ 'ABC' | regex_search('(?i)b') }}", vars), 'B', 'an inline flag');
  t.equal(renderString("{{ 'abc' | regex_search('c\\Z') }}", vars), 'c', '\\Z');
  t.equal(renderString("{{ 'aXbX' | regex_replace('X', '-', count=1) }}", vars), 'a-bX', 'count');
  t.same(renderValue("{{ 'a1b22' | regex_findall('([a-z])(\\d+)') }}", vars), [['a', '1'], ['b', '22']], 'findall with groups');
  t.equal(renderString("{{ 'abab' | regex_replace('(ab)\\1', 'x') }}", vars), 'x', 'a backreference (JavaScript engine, bounded)');
  t.equal(renderString("{{ 'price: 10' | regex_search('(?<=: )\\d+') }}", vars), '10', 'lookbehind (JavaScript engine, bounded)');
});

t.test('a backtracking pattern RE2 cannot take ends within the time budget', async (t) => {
  const err = fails(() => renderString("{{ out | regex_replace('^(a+)+\\1$', 'x') }}", { out: stdout }));
  t.ok(err instanceof TsplayError && err.kind === 'template', 'a template error');
  t.match(err?.message, /the regular expression '\^\(a\+\)\+\\1\$' took more than 2 s, the time one evaluation may take/, 'says which pattern and why');
  t.match(err?.hint, /TSPLAY_EVAL_TIMEOUT/, 'and how to allow more');
  t.equal(renderString("{{ 'aa' | regex_replace('(a)\\1', 'x') }}", {}), 'x', 'the next evaluation has its own budget');
});

t.test('a nested loop over a large registered list ends within the time budget', async (t) => {
  const vars = { r: { results: Array.from({ length: 100_000 }, (_, i) => ({ item: i })) } };
  const err = fails(() => renderString('{% for a in r.results %}{% for b in r.results %}{% if a.item == b.item %}={% endif %}{% endfor %}{% endfor %}', vars));
  t.ok(err instanceof TsplayError && err.kind === 'template', 'a template error');
  t.match(err?.message, /took more than 2 s, the time one evaluation may take/, 'says why');
  const expr = fails(() => renderValue('{{ r.results | map(attribute="item") | map("string") | select("in", r.results | map(attribute="item") | map("string") | list) | list | length }}', vars));
  t.match(expr?.message, /took more than 2 s/, "a quadratic filter chain ('in' a large list for each item) ends too");
  t.equal(renderString('{% for a in r.results[:3] %}{{ a.item }}{% endfor %}', vars), '012', 'a small loop still works');
});

t.test('from_yaml and from_json of huge host output stay within the memory budget', async (t) => {
  // 12 MB of YAML as a host prints it: a list of small mappings.
  const yaml = Array.from({ length: 600_000 }, (_, i) => `- {n: ${i}, s: x}`).join('\n');
  t.ok(yaml.length > 8_000_000, 'more than 8 MB of text');
  const err = fails(() => renderValue('{{ out | from_yaml | length }}', { out: yaml }));
  t.ok(err instanceof TsplayError && err.kind === 'template', 'a template error, not a crash');
  t.match(err?.message, new RegExp(`from_yaml of ${yaml.length} characters would take about \\d+ MB of memory to parse, past the ${Math.round(BUDGET / 2 ** 20)} MB`), 'says why');
  t.match(err?.hint, /from_json/, 'and what to do');
  t.equal(renderValue('{{ small | from_yaml | length }}', { small: '- {n: 1}\n- {n: 2}\n' }), '2', 'small YAML still parses');
  const json = JSON.stringify(Array.from({ length: 400_000 }, (_, i) => ({ n: i, s: 'x' })));
  t.equal(renderValue('{{ out | from_json | length }}', { out: json }), '400000', 'the same data as JSON fits the budget');
});

t.test('a 20 MB vars file is refused before it is parsed', async (t) => {
  const text = Array.from({ length: 1_000_000 }, (_, i) => `key${i}: value${i}`).join('\n');
  t.ok(text.length > 20_000_000, '20 MB');
  const err = fails(() => loadYaml(text, '/vars/huge.yml'));
  t.ok(err instanceof TsplayError && err.kind === 'parse', 'a parse error');
  t.match(err?.message, /\/vars\/huge\.yml is too large to load: parsing it would take about \d+ MB of memory, more than the \d+ MB/, 'names the file and says why');
  t.match(err?.pos, { file: '/vars/huge.yml', line: 1, col: 1 }, 'with a position');
  const long = `blob: "${'x'.repeat(20_000_000)}"\n`;
  t.equal((loadYaml(long, '/vars/long.yml').doc.toJS() as { blob: string }).blob.length, 20_000_000, 'one long value of 20 MB is cheap and loads');
});
