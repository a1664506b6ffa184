import t from 'tap';
import { evaluateCondition, evaluateExpression, renderString, renderValue } from '../../lib/template/index.js';

/** Inventory values written by someone hostile: none of them may run code or reach JavaScript internals. */
const evil = {
  s: 'text',
  d: { a: 1 },
  l: [1, 2],
  payload: "{{ ''.constructor.constructor('return process')() }}",
  proto_payload: '{{ d.__proto__ }}',
};

const attempts = [
  "''.constructor",
  "''.constructor.constructor('return process')()",
  's.constructor',
  'd.__proto__',
  "d['__proto__']",
  "d['constructor']['constructor']",
  'd.constructor.prototype',
  'l.constructor',
  'd.toString',
  'd.hasOwnProperty',
  "d.__defineGetter__('x', 1)",
  'l.map',
  'l.push(1)',
  "s.charAt(0)",
  "process",
  "globalThis",
  "require('child_process')",
  "this.constructor",
  "(1).constructor",
  "d | attr('constructor')",
  "d['__lookupGetter__']",
];

t.test('no path reaches JavaScript functions or prototypes', async (t) => {
  for (const a of attempts) {
    let out: unknown;
    try {
      out = evaluateExpression(a, evil);
    } catch (e) {
      t.equal((e as { kind?: string }).kind, 'template', `${a} -> template error`);
      continue;
    }
    t.not(typeof out, 'function', `${a} returned no function`);
    t.fail(`${a} should not evaluate, got ${String(out)}`);
  }
});

t.test('is defined on internals is false, not a leak', async (t) => {
  t.equal(evaluateCondition('d.constructor is defined', evil), false);
  t.equal(evaluateCondition("d['__proto__'] is defined", evil), false);
  t.equal(evaluateCondition('l.length is defined', evil), false, 'JavaScript properties of arrays are not data');
  t.equal(evaluateCondition('s.length is defined', evil), false);
});

t.test('a hostile lazy value is only data', async (t) => {
  t.throws(() => renderString('{{ payload }}', evil), { kind: 'template' });
  t.throws(() => renderValue('{{ proto_payload }}', evil), { kind: 'template' });
});

t.test('dict keys named __proto__ stay data', async (t) => {
  const out = evaluateExpression("{'__proto__': {'polluted': 1}}", {}) as Record<string, unknown>;
  t.equal(Object.getPrototypeOf(out), Object.prototype, 'prototype not replaced');
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype not polluted');
  const merged = evaluateExpression("{} | combine({'__proto__': {'polluted': 2}})", {}) as Record<string, unknown>;
  t.equal(Object.getPrototypeOf(merged), Object.prototype);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test('prototype access stays blocked in loops and text', async (t) => {
  t.throws(() => renderString('x {{ d.constructor }}', evil), { kind: 'template' });
  t.throws(() => renderString('{% for this in l %}{{ this.constructor }}{% endfor %}', evil), { kind: 'template' });
});
