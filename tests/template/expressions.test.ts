import t from 'tap';
import { evaluateExpression as ev } from '../../lib/template/index.js';
import { hostVars } from './fixtures/vars.js';

const vars = hostVars();
const e = (s: string, v: Record<string, unknown> = vars) => ev(s, v);

t.test('literals', async (t) => {
  t.equal(e("'single'"), 'single');
  t.equal(e('"double"'), 'double');
  t.equal(e("'it\\'s'"), "it's");
  t.equal(e("'\\d+\\n'"), '\\d+\n', 'unknown escapes keep their backslash, as in Python');
  t.equal(e('42'), 42);
  t.equal(e('4.5'), 4.5);
  for (const s of ['true', 'True']) t.equal(e(s), true);
  for (const s of ['false', 'False']) t.equal(e(s), false);
  for (const s of ['none', 'None', 'null']) t.equal(e(s), null);
  t.strictSame(e('[1, "a", [true]]'), [1, 'a', [true]]);
  t.strictSame(e("{'a': 1, \"b\": [2], 'c': {'d': none}}"), { a: 1, b: [2], c: { d: null } });
  t.strictSame(e('{}'), {});
  t.strictSame(e('(1, 2)'), [1, 2], 'a tuple is a list');
});

t.test('access', async (t) => {
  t.equal(e('cluster.name'), 'prod');
  t.equal(e("cluster['name']"), 'prod');
  t.equal(e('cluster.members[1].ip'), '10.1.0.11');
  t.equal(e('cluster.members.1.ip'), '10.1.0.11', 'Jinja list.1');
  t.equal(e('groups.etcd[-1]'), 'master-1');
  t.strictSame(e('groups.all[1:]'), ['master-1', 'master-2']);
  t.strictSame(e('groups.all[:-1]'), ['master-0', 'master-1']);
  t.strictSame(e('groups.all[::2]'), ['master-0', 'master-2']);
  t.equal(e("'abcdef'[2:4]"), 'cd');
  t.equal(e("hostvars['master-0'].ansible_host"), '10.0.0.10');
  t.equal(e('hostvars[groups.etcd[1]]["etcd_ip"]'), '10.1.0.11');
  t.equal(e('ansible_loop.index'), 1);
});

t.test('hostvars is read through property access, not copied', async (t) => {
  const v = hostVars();
  const reads = v.hostvars_reads as string[];
  t.equal(e("hostvars['master-1'].etcd_ip", v), '10.1.0.11');
  t.strictSame(reads, ['master-1']);
});

t.test('operators', async (t) => {
  t.equal(e('1 + 2 * 3'), 7);
  t.equal(e('(1 + 2) * 3'), 9);
  t.equal(e('7 / 2'), 3.5);
  t.equal(e('7 // 2'), 3);
  t.equal(e('-7 // 2'), -4);
  t.equal(e('-7 % 3'), 2, "Python's modulo");
  t.equal(e('2 ** 10'), 1024);
  t.equal(e('2 ** 3 ** 2'), 64, 'left-associative as in Jinja');
  t.equal(e("'a' ~ 1 ~ true ~ none"), 'a1TrueNone');
  t.equal(e("'ab' + 'cd'"), 'abcd');
  t.strictSame(e('[1] + [2]'), [1, 2]);
  t.equal(e("'-' * 3"), '---');
  t.equal(e('1 < 2'), true);
  t.equal(e("'b' >= 'a'"), true);
  t.equal(e('[1, 2] == [1, 2]'), true);
  t.equal(e("{'a': 1} == {'a': 1}"), true);
  t.equal(e('1 == 1.0'), true);
  t.equal(e("2 in [1, 2]"), true);
  t.equal(e("'ell' in 'hello'"), true);
  t.equal(e("'name' in cluster"), true);
  t.equal(e("'x' not in cluster"), true);
  t.equal(e('0 or "b"'), 'b', 'or returns an operand, as in Python');
  t.equal(e('1 and "b"'), 'b');
  t.equal(e("'yes' if port > 1000 else 'no'"), 'yes');
  t.equal(e("'a' if false else 'b' if false else 'c'"), 'c');
  t.equal(e('-port'), -2379);
  t.throws(() => e("1 + 'a'"), { kind: 'template', message: /unsupported operand types for \+/ });
  t.throws(() => e('1 / 0'), { message: /division by zero/ });
  t.throws(() => e("1 < 'a'"), { message: /cannot compare/ });
});

t.test('tests (is ...)', async (t) => {
  t.equal(e('cluster is mapping'), true);
  t.equal(e('groups.all is iterable'), true);
  t.equal(e('port is number'), true);
  t.equal(e("'x' is string"), true);
  t.equal(e('nothing is none'), true);
  t.equal(e('nothing is not none'), false);
  t.equal(e('true is true'), true);
  t.equal(e('1 is true'), false, 'is true is identity, not truthiness');
  t.equal(e('false is false'), true);
  t.equal(e("'master-0' is match('master')"), true);
  t.equal(e("'master-0' is match('0')"), false, 'match anchors at the start');
  t.equal(e("'master-0' is search('0')"), true);
  t.equal(e("'MASTER' is match('master', ignorecase=true)"), true);
  t.equal(e("'(?i)abc' is string"), true);
  t.equal(e("'ABC' is match('(?i)abc')"), true, 'Python inline flags');
  t.equal(e("'3.5.1' is version('3.4', '>=')"), true);
  t.equal(e("'3.10' is version('3.9', '>')"), true);
  t.equal(e('4 is divisibleby(2)'), true);
  t.equal(e('[1] is subset([1, 2])'), true);
  t.equal(e('port | default(1) is number'), true);
  t.throws(() => e('port is failed'), { message: /expects a registered task result/ });
});

t.test('methods', async (t) => {
  t.equal(e("inventory_hostname.startswith('master')"), true);
  t.equal(e("inventory_hostname.startswith(('x', 'mas'))"), true);
  t.equal(e("inventory_hostname.endswith('-0')"), true);
  t.strictSame(e("'a,b,c'.split(',')"), ['a', 'b', 'c']);
  t.strictSame(e("' a  b '.split()"), ['a', 'b']);
  t.strictSame(e("'a,b,c'.split(',', 1)"), ['a', 'b,c']);
  t.equal(e("'  x  '.strip()"), 'x');
  t.equal(e("'xxhixx'.strip('x')"), 'hi');
  t.equal(e("'Ab'.lower()"), 'ab');
  t.equal(e("'Ab'.upper()"), 'AB');
  t.equal(e("'a-b-c'.replace('-', '.')"), 'a.b.c');
  t.strictSame(e('cluster.keys() | list'), ['name', 'members']);
  t.strictSame(e("{'a': 1}.values() | list"), [1]);
  t.strictSame(e("{'a': 1}.items() | list"), [['a', 1]]);
  t.equal(e("cluster.get('name')"), 'prod');
  t.equal(e("cluster.get('nope', 'dflt')"), 'dflt');
  t.equal(e("cluster.get('nope')"), null);
  t.equal(e("'-'.join(['a', 'b'])"), 'a-b');
  t.equal(e("'{}:{}'.format('h', 1)"), 'h:1');
  t.throws(() => e("'a'.nosuch()"), { message: /has no method 'nosuch'/ });
  // In-place methods change only what the template built, never a variable.
  t.throws(() => e('cluster.update({})'), { message: /dict.update\(\) would change a variable in place/ });
});

t.test('functions', async (t) => {
  t.strictSame(e('range(3) | list'), [0, 1, 2]);
  t.strictSame(e('range(1, 7, 2) | list'), [1, 3, 5]);
  t.throws(() => e("query('inventory_hostnames', 'all')"), { kind: 'template', message: /^lookup plugin \(inventory_hostnames\) not found/ });
  t.throws(() => e("lookup('acme.tools.dig', 'x')"), { message: /^lookup plugin \(acme.tools.dig\) not found/ });
  t.throws(() => e('eval("1")'), { message: /no function named 'eval'/ });
});

t.test('parse results are cached and evaluation is pure', async (t) => {
  const v = { n: 1 };
  t.equal(e('n + 1', v), 2);
  t.equal(e('n + 1', { n: 5 }), 6);
});
