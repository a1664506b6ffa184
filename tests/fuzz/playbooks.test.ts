/**
 * Generated playbooks run in-process through runPlaybook on the local
 * connection: hostile keys on plays and tasks, hostile expressions in
 * arguments and conditions. Every run ends with a result or a user error,
 * within the time bound; nothing printed carries the inventory's password;
 * Object.prototype is unchanged afterwards.
 */
import t from 'tap';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import type { RunEvent } from '../../lib/output/events.js';
import { collectLoadWarnings } from '../../lib/yaml/warnings.js';
import { laughs, play, project } from '../hostile/helpers.js';
import { playbook } from './arbitraries.js';
import { holds, SECRET } from './invariants.js';

const dir = project({ 'hosts.ini': `h1 ansible_connection=local ansible_become_password=${SECRET} ansible_password=${SECRET}\n` });

/** How many generated playbooks got as far as running a task: the suite must exercise the engine, not only the loader. */
let ran = 0;

async function runGenerated(plays: unknown): Promise<void> {
  const file = path.join(dir, 'play.yml');
  // JSON is YAML, and JSON.stringify keeps an own __proto__ key as a key.
  writeFileSync(file, typeof plays === 'string' ? plays : JSON.stringify(plays, null, 1));
  const events: RunEvent[] = [];
  await holds(
    `playbook ${JSON.stringify(plays).slice(0, 300)}`,
    () => collectLoadWarnings(() => {}, () => runPlaybook({ playbooks: [file], inventory: [path.join(dir, 'hosts.ini')], reporters: [(e) => events.push(e)] })),
    () => events.map((e) => JSON.stringify(e)).join('\n'),
  );
  if (events.some((e) => e.type === 'host_result')) ran++;
}

t.test('generated playbooks', async (t) => {
  await fc.assert(fc.asyncProperty(playbook, runGenerated), { seed: 31337, numRuns: 60 });
  t.ok(ran >= 10, `at least 10 of 60 generated playbooks ran tasks (${ran} did)`);
});

t.test('playbooks reported as crashes stay as cases', async (t) => {
  const cases: unknown[] = [
    [{ hosts: 'all', gather_facts: false, tasks: [JSON.parse('{"debug": {"msg": "hi"}, "__proto__": {"when": false, "register": "x"}}')] }],
    [JSON.parse('{"__proto__": {"hosts": "all"}, "gather_facts": false, "tasks": [{"debug": "msg=hi"}]}')],
    [{ hosts: 'all', gather_facts: false, vars: JSON.parse('{"x": {"__proto__": {"polluted": 1}}}'), tasks: [{ debug: { msg: "{{ x.polluted | default('none') }}" } }] }],
    [{ hosts: 'all', gather_facts: false, tasks: [{ set_fact: JSON.parse('{"__proto__": {"polluted": 1}}') }, { debug: { msg: '{{ polluted }}' } }] }],
  ];
  // Billion laughs used every way a task can use a value.
  for (const use of ['debug: var=lol9', 'set_fact: {y: "{{ lol9 }}"}', 'debug: msg="{{ item }}"\n      loop: "{{ lol9 }}"', 'assert: {that: ["lol9 | length > 1"]}', 'debug: msg="{{ lol9 | to_json }}"', 'debug: msg="{{ lol7 | flatten | length }}"']) {
    cases.push(play(`    - ${use}\n      ignore_errors: true\n    - debug: msg=after\n`, laughs(9, '    ')).replace('hosts: localhost', 'hosts: all'));
  }
  for (const c of cases) await runGenerated(c);
  t.pass(`${cases.length} cases`);
});
