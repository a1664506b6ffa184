import t from 'tap';
import { evaluateCondition } from '../../lib/template/index.js';
import { hostVars } from './fixtures/vars.js';

const vars = hostVars();
const when = (c: unknown, v: Record<string, unknown> = vars) => evaluateCondition(c, v);

t.test('the conditions Ansible users write every day', async (t) => {
  t.equal(when('port is defined'), true);
  t.equal(when('undefined_thing is defined'), false);
  t.equal(when('undefined_thing is not defined'), true);
  t.equal(when('undefined_thing is undefined'), true);
  t.equal(when('port is defined and ansible_check_mode'), false);
  t.equal(when('port is defined or ansible_check_mode'), true);
  t.equal(when('not ansible_check_mode'), true);
  t.equal(when('ansible_check_mode'), false);
  t.equal(when("'etcd' in group_names"), true);
  t.equal(when("'workers' in group_names"), false);
  t.equal(when("'workers' not in group_names"), true);
  t.equal(when('result.rc != 0'), true);
  t.equal(when('ok_result.rc == 0'), true);
  t.equal(when("inventory_hostname == groups['etcd'][0]"), true);
  t.equal(when('inventory_hostname == groups.etcd[1]'), false);
  t.equal(when("hostvars[item].etcd_ip == '10.1.0.11'"), true);
  t.equal(when("hostvars['master-2'].etcd_ip is defined"), false);
  t.equal(when('result is failed'), true);
  t.equal(when('result is not failed'), false);
  t.equal(when('result is succeeded'), false);
  t.equal(when('ok_result is changed'), true);
  t.equal(when('ok_result is success'), true);
  t.equal(when('skipped_result is skipped'), true);
  t.equal(when("result.stderr is search('er')"), true);
  t.equal(when("inventory_hostname is match('master-\\d+$')"), true);
  t.equal(when('inventory_hostname in ansible_play_hosts'), true);
  t.equal(when('groups.etcd | length > 1'), true);
  t.equal(when("x | default('') == ''"), true);
  t.equal(when('item != inventory_hostname and ansible_loop.first'), true);
});

t.test('booleans, lists and empties', async (t) => {
  t.equal(when(true), true);
  t.equal(when(false), false);
  t.equal(when(['port is defined', "'etcd' in group_names"]), true, 'a list: all must hold');
  t.equal(when(['port is defined', 'ansible_check_mode']), false);
  t.equal(when([]), true);
  t.equal(when(null), true, 'Ansible treats a missing condition as true');
  t.equal(when(''), true);
  t.equal(when('True'), true);
  t.equal(when('false'), false, 'the literal false');
});

t.test('Python truthiness', async (t) => {
  for (const [v, want] of [['', false], [0, false], [[], false], [{}, false], [null, false], ['false', true], ['no', true], ['0', true], [[0], true], [{ a: 1 }, true], [0.5, true]] as const) {
    t.equal(when('v', { v }), want, JSON.stringify(v));
  }
  t.equal(when('str_false'), true, "the string 'false' is a non-empty string");
  t.equal(when('str_false | bool'), false);
  t.equal(when("'yes' | bool"), true);
});

t.test('precedence of not, and, or', async (t) => {
  t.equal(when('not port == 2379'), false, 'not binds looser than ==');
  t.equal(when('not port == 1 and true'), true);
  t.equal(when('(not port) == false'), true, 'parentheses are respected');
  t.equal(when('not str_false | bool'), true, 'not binds looser than |');
  t.equal(when('true or false and false'), true, 'and binds tighter than or');
  t.equal(when('not undefined_thing is defined'), true);
  t.equal(when('port is defined and\n  port > 10'), true, 'multi-line folded conditions');
});

t.test('a {{ }}-wrapped condition is tolerated with a warning', async (t) => {
  const warnings: string[] = [];
  t.equal(evaluateCondition('{{ port is defined }}', vars, { warn: (m) => warnings.push(m) }), true);
  t.equal(evaluateCondition('{{ ansible_check_mode }}', vars, { warn: (m) => warnings.push(m) }), false);
  t.equal(evaluateCondition("'{{ inventory_hostname }}' == 'master-0'", vars, { warn: (m) => warnings.push(m) }), true, 'rendered, then evaluated');
  t.throws(() => evaluateCondition("{{ inventory_hostname }} == 'master-0'", vars), /'master' is undefined/, 'the rendered text master-0 is an expression, as in Ansible');
  t.equal(warnings.length, 3);
  t.match(warnings[0], /should not include jinja2 templating delimiters/);
});

t.test('errors', async (t) => {
  t.throws(() => when('undefined_thing'), { kind: 'template', message: "'undefined_thing' is undefined" });
  t.throws(() => when('result.nope == 1'), { message: "'result.nope' is undefined" });
  t.throws(() => when('port ==='), { kind: 'template', message: /syntax error in expression "port ==="/ });
  t.throws(() => when('a = 1'), { kind: 'template', message: /keyword arguments/ });
  t.throws(() => when('port > 1 port < 5'), { kind: 'template', message: /unexpected text after the expression/, hint: /join conditions with/ });
  t.throws(() => when('port ? 1 : 2'), { kind: 'template' });
  t.throws(() => when('port is frobbed'), { message: /no test named 'frobbed'/ });
  t.throws(() => when({ a: 1 }), { kind: 'template' });
});

t.test('conditions are fast', async (t) => {
  const conds = ["inventory_hostname == groups['etcd'][0]", "'etcd' in group_names and result.rc != 0", 'hostvars[item].etcd_ip is defined'];
  const start = process.hrtime.bigint();
  for (let i = 0; i < 10000; i++) when(conds[i % 3]);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  t.ok(ms < 1500, `10000 conditions in ${ms.toFixed(0)} ms`);
});
