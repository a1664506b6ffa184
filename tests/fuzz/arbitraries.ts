/** fast-check generators of hostile and random input: YAML, INI, -e values, expressions, playbooks. */
import fc from 'fast-check';

/** Keys attackers and accidents produce. */
export const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '<<', 'when', 'hosts', 'register', 'polluted', 'valueOf', '__defineGetter__');
export const plainKey = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
export const key = fc.oneof(hostileKey, plainKey);

const scalar = fc.oneof(
  fc.constantFrom('yes', 'no', 'on', '0644', '1:30', '~', 'null', '.inf', '"quoted"', "'single'", '!!binary aGk=', '!custom x', '|\n  block', '>-\n  folded', '[', ']', '{', '}', '&', '*', '"\\u0000"', '\uFEFF', '%YAML 1.1', '---', '...'),
  fc.integer().map(String),
  fc.string({ maxLength: 12 }),
);

/** YAML text built from lines of random structure, anchors and aliases, some valid and some not. */
export const yamlText = fc
  .array(
    fc.tuple(fc.nat(6), key, fc.oneof(scalar, fc.constantFrom('&a', '*a', '&b {x: *b}', '*nope', '&a [*a]', '<<: *a', '{<<: *a}', '[*a, *a, *a]', '{__proto__: {polluted: 1}}', '&a {polluted: 1}')), fc.boolean()),
    { maxLength: 14 },
  )
  .map((lines) => lines.map(([indent, k, v, dash]) => `${' '.repeat(indent)}${dash ? '- ' : ''}${k}: ${v}`).join('\n') + '\n');

/** Ansible INI inventory text: sections, host lines with vars, Python literals, ranges, junk. */
export const iniText = fc
  .array(
    fc.oneof(
      fc.tuple(key, fc.constantFrom('', ':vars', ':children', ':bogus')).map(([g, s]) => `[${g}${s}]`),
      fc.tuple(fc.constantFrom('h1', 'h[1:3]', 'h[a:c]', '__proto__', 'constructor', 'h[01:1000]', 'x:22', '[', 'h1:'), fc.array(fc.tuple(key, fc.constantFrom("{'polluted': 1}", '[1, 2]', 'True', '"a b"', "'unterminated", '1e5', '{1: 2}', 'x')), { maxLength: 3 })).map(([h, vs]) => [h, ...vs.map(([k, v]) => `${k}=${v}`)].join(' ')),
      fc.tuple(key, fc.constantFrom('1', "{'__proto__': {'polluted': 1}}", '"x"')).map(([k, v]) => `${k}=${v}`),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 12 },
  )
  .map((lines) => lines.join('\n') + '\n');

/** -e values in the three forms: key=value, inline YAML/JSON, and garbage. */
export const extraVar = fc.oneof(
  fc.tuple(key, fc.string({ maxLength: 10 })).map(([k, v]) => `${k}=${v}`),
  yamlText.map((y) => `{${y.replace(/\n/g, ', ')}}`),
  fc.constantFrom('{"__proto__": {"polluted": 1}}', '{a: &a {k: *a}}', '--- &x [*x]', '{a: *nope}', '{"constructor": {"prototype": {"polluted": 1}}}', '=', '@/nonexistent/file.yml', '{"a": 1'),
);

const atom = fc.oneof(
  fc.constantFrom('x', 'y', 'd', 'l', 'secret_name', 'ansible_become_password', '__proto__', 'constructor', 'prototype', 'd.__proto__', 'd["__proto__"]', 'd.constructor', "d['constructor']['prototype']", 'x.__class__', 'lipsum', 'range(10)', '[1] * 3', "'a' * 3", 'none', 'true', 'True', "''", '[]', '{}', '{"__proto__": 1}', 'hostvars', 'omit'),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
);
const binop = fc.constantFrom(' + ', ' - ', ' * ', ' / ', ' // ', ' % ', ' ** ', ' ~ ', ' == ', ' != ', ' < ', ' and ', ' or ', ' in ', ' not in ', ' is ', ' if ', ' else ');
const filter = fc.constantFrom('| length', '| default(1)', '| string', '| int', '| list', '| dict2items', '| combine({"__proto__": {"polluted": 1}})', '| from_json', '| to_json', '| join(",")', '| map("upper")', '| items2dict', '| regex_replace("(a+)+$", "")', '| bool', '| unknown_filter', '| first', '| reverse');

/** Jinja-like expressions: mostly well-formed, some broken, some hostile. */
export const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('expr'), binop, tie('expr')).map(([a, o, b]) => `${a}${o}${b}`),
    fc.tuple(tie('expr'), filter).map(([a, f]) => `${a} ${f}`),
    tie('expr').map((a) => `(${a})`),
    tie('expr').map((a) => `[${a}]`),
    tie('expr').map((a) => `not ${a}`),
    fc.tuple(tie('expr'), fc.constantFrom('[0]', '.x', '["__proto__"]', '.constructor', '(', ')', '|')).map(([a, s]) => a + s),
  ),
})).expr as fc.Arbitrary<string>;

const moduleTask = fc.oneof(
  expression.map((e) => ({ debug: { msg: `{{ ${e} }}` } })),
  expression.map((e) => ({ debug: { msg: 'x' }, when: e })),
  expression.map((e) => ({ set_fact: { y: `{{ ${e} }}` } })),
  expression.map((e) => ({ assert: { that: [e] } })),
  fc.constant({ debug: 'msg=hi' }),
);

/** Keywords a task may carry: mostly valid, sometimes hostile keys that must be refused. */
const taskExtra = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<[string, unknown]>(['ignore_errors', true], ['no_log', true], ['register', 'r'], ['loop', [1, 2]], ['tags', 't'], ['loop', '{{ l }}'], ['vars', { z: '{{ x }}' }]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom<unknown>(true, { when: false }, '{{ x }}')) },
);

/** A task as a plain object: a module, keywords, and sometimes hostile keys. */
export const task = fc.tuple(moduleTask, fc.array(taskExtra, { maxLength: 2 })).map(([t, extra]) => {
  const out: Record<string, unknown> = { ...t };
  for (const [k, v] of extra) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
});

export const playbook = fc.tuple(fc.array(task, { minLength: 1, maxLength: 4 }), fc.constantFrom<unknown>({}, JSON.parse('{"__proto__": {"polluted": 1}}'), { x: 1, d: { a: 1 } }), fc.integer({ min: 0, max: 9 }).map((n) => n === 0)).map(([tasks, vars, protoOnPlay]) => {
  const play: Record<string, unknown> = { hosts: 'all', gather_facts: false, vars: { x: 1, y: 'two', l: [1, 2], d: { a: 1 }, ...(vars as object) }, tasks };
  if (protoOnPlay) Object.defineProperty(play, '__proto__', { value: { hosts: 'all' }, enumerable: true, configurable: true, writable: true });
  return [play];
});
