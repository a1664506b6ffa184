/**
 * `__proto__`, `constructor` and `prototype` keys are data wherever a user
 * can write a key: refused on a task or play where Ansible refuses them,
 * kept and printed as ordinary keys everywhere else, never an object's
 * prototype. Runs in-process (local connection) and checks afterwards that
 * Object.prototype is untouched.
 */
import t from 'tap';
import path from 'node:path';
import { parseExtraVars } from '../../lib/cli/extra-vars.js';
import { describeError } from '../../lib/cli/report-error.js';
import { runPlaybook } from '../../lib/engine/run.js';
import { inventoryToAnsibleList, loadInventory } from '../../lib/inventory/index.js';
import type { RunEvent } from '../../lib/output/events.js';
import { loadPlaybook } from '../../lib/playbook/load.js';
import { play, project, prototypeSnapshot } from './helpers.js';

const before = prototypeSnapshot();

async function refused(yaml: string): Promise<{ text: string; exitCode: number }> {
  const dir = project({ 'play.yml': yaml });
  try {
    await loadPlaybook(path.join(dir, 'play.yml'));
  } catch (e) {
    return describeError(e, 0);
  }
  throw new Error('expected the playbook to be refused');
}

t.test('on a task or play they are refused as Ansible refuses them', async (t) => {
  for (const key of ['__proto__', 'constructor', 'prototype', 'toString']) {
    const task = await refused(play(`    - debug: msg=hi\n      ${key}: {when: false, register: x}\n`));
    t.equal(task.exitCode, 4, `task ${key}: exit 4`);
    t.match(task.text, `conflicting action statements: debug, ${key}`, `task ${key}: Ansible's message`);
    t.match(task.text, /play\.yml:5:7/, `task ${key}: names where`);
    const p = await refused(`- ${key}: {hosts: localhost}\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n`);
    t.equal(p.exitCode, 4, `play ${key}: exit 4`);
    t.match(p.text, `'${key}' is not a valid attribute for a play`, `play ${key}: Ansible's message`);
  }
  const alone = await refused(play('    - __proto__: {debug: {msg: hi}}\n'));
  t.match(alone.text, /couldn't resolve module\/action '__proto__'/, 'a task of only __proto__ has no module');
});

t.test('in vars, inventories, -e and set_fact they are ordinary keys', async (t) => {
  const dir = project({
    'play.yml': play(
      [
        '    - debug: var=x',
        "    - debug: msg=\"{{ x.keys() | list }} {{ x.a | default('none') }} {{ hidden | default('none') }}\"",
        '    - set_fact:',
        '        __proto__: {fromfact: 1}',
        "    - debug: msg=\"{{ fromfact | default('none') }} {{ fromE | default('none') }} {{ inv | default('none') }}\"",
        '',
      ].join('\n'),
      '    __proto__: {hidden: 1}\n    x:\n      __proto__: {a: 1}\n      constructor: 3\n',
    ).replace('hosts: localhost', 'hosts: all'),
    'inv.ini': "[__proto__]\nh1 ansible_connection=local __proto__=\"{'inv': 1}\" constructor=5\n\n[__proto__:vars]\ngv=1\n",
  });
  const events: RunEvent[] = [];
  const result = await runPlaybook({
    playbooks: [path.join(dir, 'play.yml')],
    inventory: [path.join(dir, 'inv.ini')],
    extraVars: parseExtraVars(['{"__proto__": {"fromE": 1}}']),
    reporters: [(e) => events.push(e)],
  });
  t.equal(result.exitCode, 0, 'the run succeeds');
  const results = events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result').map((e) => e.result);
  t.same(JSON.parse(JSON.stringify(results[0].x)), { __proto__: { a: 1 }, constructor: 3 }, 'var= prints __proto__ as a key');
  t.same(results[1].msg, "['__proto__', 'constructor'] none none", 'listed as keys, nothing inherited');
  t.equal(results[3].msg, 'none none none', 'set_fact, -e and the inventory do not leak into other variables');
  const inv = await loadInventory([path.join(dir, 'inv.ini')]);
  const h1 = inv.hostVars('h1') as Record<string, unknown>;
  t.same(Object.getOwnPropertyDescriptor(h1, '__proto__')?.value, { inv: 1 }, 'an INI __proto__ variable is kept under its name');
  t.equal(h1.inv, undefined, 'and not inherited');
  const list = JSON.parse(JSON.stringify(inventoryToAnsibleList(inv))) as Record<string, unknown>;
  t.same(list.__proto__, { hosts: ['h1'] }, 'a group named __proto__ is listed');
  t.match(list._meta, { hostvars: { h1: { gv: 1, constructor: 5 } } }, 'its vars reach its host');
  const yamlInv = project({ 'inv.yml': 'all:\n  children:\n    __proto__:\n      hosts:\n        h2:\n          __proto__: {y: 1}\n' });
  const inv2 = await loadInventory([path.join(yamlInv, 'inv.yml')]);
  const hv = inv2.hostVars('h2');
  t.ok(Object.prototype.hasOwnProperty.call(hv, '__proto__'), 'a YAML inventory keeps __proto__ as a host variable');
  t.equal((hv as Record<string, unknown>).y, undefined, 'not inherited');
  t.same(inv2.groupNames('h2'), ['__proto__'], 'a YAML group named __proto__ holds its host');
});

t.test('Object.prototype is untouched', async (t) => {
  t.equal(prototypeSnapshot(), before, 'same own properties as before the hostile runs');
  t.equal(({} as Record<string, unknown>).a, undefined, 'no inherited key from the hostile data');
  t.equal(({} as Record<string, unknown>).fromE, undefined, 'nor from -e');
});
