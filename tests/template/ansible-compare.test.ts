/**
 * Runs real ansible-playbook 2.14 once on localhost over a list of
 * expressions, templates and conditions, and checks that tsplay gives the
 * same value for each (its structure, and its printed form, which tells int
 * from float and tuple from list), including which ones are errors.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateCondition, evaluateExpression, renderString } from '../../lib/template/index.js';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';

const data = {
  result: { rc: 1, failed: true, changed: false, stdout: 'a,b,c', stdout_lines: ['a', 'b', 'c'] },
  ok_result: { rc: 0, changed: true, failed: false },
  skipped_result: { skipped: true, changed: false },
  users: [
    { name: 'al', admin: true, uid: 1001 },
    { name: 'bo', admin: false, uid: 1002 },
    { name: 'cy', uid: 1000 },
  ],
  nums: [3, 1, 2, 3],
  words: ['b', 'A', 'c'],
  d: { a: 1, b: { c: 'x' } },
  s: '  Hello World  ',
  csv: 'a,b,,c',
  empty_list: [],
  empty_dict: {},
  empty_str: '',
  zero: 0,
  str_false: 'false',
  str_no: 'no',
  lazy_a: '{{ lazy_b }}-x',
  lazy_b: 'hello',
  lazy_list: '{{ nums | unique }}',
  path: '/etc/etcd/etcd.conf',
  nested: [[1, [2]], [3]],
  kv: [{ key: 'x', value: 1 }, { key: 'y', value: 2 }],
  members: { m1: { ip: '10.0.0.1' }, m2: { ip: '10.0.0.2' } },
  shell_arg: "it's $HOME",
  none_val: null,
  version: '3.5.9',
  hostname: 'master-2',
};

// Ansible's own magic variables for `-i localhost, -c local`, mirrored for tsplay.
const magic = {
  inventory_hostname: 'localhost',
  groups: { all: ['localhost'], ungrouped: ['localhost'] },
  group_names: ['ungrouped'],
  ansible_check_mode: false,
  ansible_play_hosts: ['localhost'],
};

const expressions = [
  // literals and arithmetic
  "1 + 2 * 3", "(1 + 2) * 3", "7 // 2", "-7 // 2", "-7 % 3", "2 ** 3 ** 2", "-2 ** 2", "10 / 4", "'a' ~ 1 ~ none", "'ab' * 2",
  "[1, 2] + [3]", "{'a': 1, 'b': [true, none]}", "True and False", "None", "1 < 2 and 'b' > 'a'", "'x' if zero else 'y'",
  "'a' if false else 'b' if true else 'c'", "not zero == 1", "not 1 == 1 or true",
  // variables, members, indexes, slices
  "d.b.c", "d['b']['c']", "users[1].name", "users[-1].uid", "nums[1:3]", "nums[:2]", "nums[::-1]", "'hello'[1:]",
  "members['m1'].ip", "members[hostname | replace('master-2', 'm2')].ip", "lazy_a", "lazy_list", "nested.0",
  "groups['all'][0]", "groups.all | length", "hostvars[inventory_hostname].inventory_hostname",
  // in, is
  "'a' in result.stdout", "3 in nums", "'m1' in members", "'z' not in nums", "undefined_x is defined", "undefined_x is not defined",
  "undefined_x.y is defined", "d.zz is defined", "d.a is number", "s is string", "d is mapping", "nums is iterable", "none_val is none",
  "result is failed", "result is not failed", "ok_result is changed", "ok_result is succeeded", "ok_result is success", "skipped_result is skipped",
  "hostname is match('master-\\d+')", "hostname is match('\\d')", "hostname is search('\\d')", "true is true", "1 is true",
  "version is version('3.5.0', '>=')", "version is version('3.10', '<')",
  // methods
  "hostname.startswith('master')", "path.endswith('.conf')", "csv.split(',')", "s.strip()", "s.lower()", "s.upper()", "csv.replace(',', ';')",
  "d.keys() | list", "d.get('a')", "d.get('zz', 'dflt')", "'a b  c'.split()", "members.m1.items() | list", "','.join(['a', 'b'])",
  // filters
  "undefined_x | default('y')", "empty_str | default('y')", "empty_str | default('y', true)", "undefined_x | d(5)", "nums | length", "csv | count",
  "nums | join(',')", "str_no | bool", "'yes' | bool", "'TRUE' | bool", "'3.7' | int", "'abc' | int", "'2.5' | float", "3 | string", "s | trim",
  "nums | first", "nums | last", "'abc' | list", "nums | unique", "nums | sort", "words | sort", "nums | sort(reverse=true)", "nums | reverse | list",
  "nums | min", "nums | max", "nums | sum", "users | map(attribute='name') | list", "words | map('upper') | list",
  "users | selectattr('admin') | map(attribute='name') | list", "users | selectattr('uid', 'equalto', 1002) | map(attribute='name') | list",
  "users | rejectattr('admin', 'defined') | map(attribute='name') | list", "users | selectattr('admin', 'defined') | list | length",
  "words | select('match', '[a-z]') | list", "words | reject('match', '[a-z]') | list", "nums | difference([1])", "nums | intersect([3, 9])",
  "nums | union([4])", "d | combine({'a': 2, 'z': 0})", "{'a': {'x': 1}} | combine({'a': {'y': 2}}, recursive=true)", "d | dict2items",
  "kv | items2dict", "d | to_json", "'[1, 2]' | from_json", "'{\"a\": [1]}' | from_json", "d | to_nice_json", "'a: [1, 2]' | from_yaml",
  "path | regex_replace('^/etc/(\\w+)/.*$', '\\1')", "path | regex_replace('e', 'E')", "path | regex_search('etcd\\.\\w+')", "path | regex_search('zz')",
  "path | regex_findall('e\\w')", "csv | replace(',', '')", "csv | split(',')", "shell_arg | quote", "'simple' | quote", "path | basename", "path | dirname",
  "'hello' | b64encode", "'aGVsbG8=' | b64decode", "zero | ternary('y', 'n')", "true | ternary('y', 'n')", "nums | zip(words) | list", "nested | flatten",
  "nested | flatten(1)", "-3 | abs", "2.567 | round(2)", "2.5 | round", "'x' | mandatory", "nums | type_debug", "d | type_debug",
  "range(3) | list", "groups.all | map('extract', {'localhost': 'L'}) | list", "users | sort(attribute='uid') | map(attribute='name') | list",
  "users | map(attribute='uid') | max", "d.b | dict2items(key_name='k', value_name='v')", "'a-b' | upper ~ 'c'", "nums | select('gt', 1) | list",
  // errors expected in both
  "undefined_x", "undefined_x.y", "d.zz", "1 + 'a'", "nums | nosuchfilter", "undefined_x | mandatory",
];

const templates = [
  'host={{ inventory_hostname }} n={{ nums | length }}',
  'x {{ nums }} y {{ d }}',
  'x {{ none_val }} {{ true }} {{ 1.5 }}',
  '{{ lazy_a }}/{{ lazy_b }}',
  '  {{ lazy_b }}\n',
  'a {{- " b " -}} c',
  "{{ users | map(attribute='name') | join(', ') }}",
  'quote: {{ "it\'s" }}',
  'path\\{{ lazy_b }}',
  "{{ {'k': 'v'} }} and {{ ['a', \"b'c\"] }}",
];

const conditions = [
  'undefined_x is defined', 'undefined_x is not defined', "'ungrouped' in group_names", "'etcd' in group_names", 'result.rc != 0',
  'inventory_hostname == groups["all"][0]', 'ansible_check_mode', 'not ansible_check_mode', 'str_false', 'str_false | bool', 'empty_list',
  'empty_dict', 'zero', 'nums', 'result is failed and ok_result is changed', 'result is failed or undefined_x', 'not (result is failed)',
  'hostvars[inventory_hostname].inventory_hostname == inventory_hostname', 'ansible_play_hosts | length > 0',
];

interface Outcome {
  ok: boolean;
  value?: unknown;
  text?: string;
}

function runAnsible(): Outcome[] {
  const tasks = [
    ...expressions.map((e) => ({ debug: { msg: `J{{ (${e}) | to_json }}` }, ignore_errors: true })),
    // The printed form: Python's str() of the value tells int from float, tuple from list, True from true.
    ...expressions.map((e) => ({ debug: { msg: `P{{ ${e} }}` }, ignore_errors: true })),
    ...templates.map((tpl) => ({ debug: { msg: `T${tpl}` }, ignore_errors: true })),
    ...conditions.map((c) => ({ debug: { msg: `J{{ (true if (${c}) else false) | to_json }}` }, ignore_errors: true })),
  ];
  const play = [{ hosts: 'localhost', gather_facts: false, vars: data, tasks }];
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-ansible-'));
  const file = join(dir, 'compare.yml');
  writeFileSync(file, JSON.stringify(play, null, 1)); // JSON is YAML
  let out: string;
  try {
    out = execFileSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', file], {
      env: { ...hermeticAnsibleEnv().env, ANSIBLE_STDOUT_CALLBACK: 'tsplay_results' },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // a failed task makes ansible exit 2; its output is still complete
  }
  // One JSON line per task result (tests/helpers/ansible-plugins/callback/tsplay_results.py).
  const records = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { status: string; result: { msg: unknown } });
  return records.map((rec) => {
    const r = rec.result;
    const msg = String(r.msg);
    if (rec.status === 'failed') return { ok: false, text: String(r.msg) };
    return msg.startsWith('J') ? { ok: true, value: JSON.parse(msg.slice(1)) } : { ok: true, text: msg.slice(1) };
  });
}

const ansible = runAnsible();
const vars = { ...data, ...magic, hostvars: { localhost: { ...magic } } };
// Ansible's JSON is Python's: the structure is compared through JSON (key order does not matter there),
// and the printed form (`P{{ e }}`) separately, which JSON would hide: 2 and 2.0, a tuple and a list, True and true.
const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v));

t.equal(ansible.length, 2 * expressions.length + templates.length + conditions.length, 'ansible ran every task');

expressions.forEach((e, i) => {
  const want = ansible[i];
  t.test(`expression: ${e}`, async (t) => {
    if (!want.ok) {
      t.throws(() => evaluateExpression(e, vars), { kind: 'template' }, 'an error in Ansible too');
      // The wording is tsplay's own; what it is about is Ansible's: the last name Ansible's message quotes.
      const named = [...(want.text ?? '').split('\n')[0].matchAll(/['"](\w+)['"]/g)].pop()?.[1];
      let message = '';
      try {
        evaluateExpression(e, vars);
      } catch (x) {
        message = (x as Error).message;
      }
      t.ok(named && message.includes(named), `the error names '${named}' as Ansible's does: ${message}`);
      return;
    }
    t.strictSame(roundTrip(evaluateExpression(e, vars)), want.value);
    const printed = ansible[expressions.length + i];
    t.equal(renderString(`P{{ ${e} }}`, vars), `P${printed.text}`, 'printed as Ansible prints it');
  });
});

templates.forEach((tpl, i) => {
  const want = ansible[2 * expressions.length + i];
  t.test(`template: ${JSON.stringify(tpl)}`, async (t) => {
    t.ok(want.ok, 'renders in Ansible');
    t.equal(renderString(tpl, vars), want.text);
  });
});

conditions.forEach((c, i) => {
  const want = ansible[2 * expressions.length + templates.length + i];
  t.test(`condition: ${c}`, async (t) => {
    if (!want.ok) {
      t.throws(() => evaluateCondition(c, vars), { kind: 'template' });
      return;
    }
    t.equal(evaluateCondition(c, vars), want.value);
  });
});
