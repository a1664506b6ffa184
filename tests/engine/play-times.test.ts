/** tsplay_play_times: each play's batch of this run, with its start and end, for a playbook's own summary. */
import t from 'tap';
import path from 'node:path';
import { PlayTimes } from '../../lib/engine/play-times.js';
import { localInventory, messages, project, run } from './helpers.js';

t.test('a batch is running until its end is recorded, then has its seconds', async (t) => {
  let clock = 1_000_000;
  const times = new PlayTimes(() => clock);
  const end = times.start('one', ['a']);
  t.same(times.list, [{ name: 'one', hosts: ['a'], started: 1000, ended: null, seconds: null }]);
  clock += 2_500;
  end();
  const endTwo = times.start('two', ['b']);
  clock += 40;
  t.same(times.list[0], { name: 'one', hosts: ['a'], started: 1000, ended: 1002.5, seconds: 2.5 });
  t.same(times.list[1], { name: 'two', hosts: ['b'], started: 1002.5, ended: null, seconds: null });
  endTwo();
  t.equal(times.list[1].seconds, 0.04);
  t.ok(Object.isFrozen(times.list[0]), 'a template cannot change a recorded time');
});

t.test('a playbook reads the plays so far: one entry per serial batch, the running play last', async (t) => {
  const dir = project({
    'inventory.ini': localInventory,
    'site.yml': `
- name: "step {{ 'one' }}"
  hosts: g
  serial: 1
  gather_facts: false
  tasks:
    - command: "true"
- name: report
  hosts: a
  gather_facts: false
  vars:
    tsplay_play_times: overridden
  tasks:
    - debug:
        msg: "{{ tsplay_play_times | map(attribute='name') | list }} {{ tsplay_play_times | map(attribute='hosts') | list }}"
    - debug:
        msg: "{{ tsplay_play_times | rejectattr('ended', 'none') | selectattr('seconds', 'ge', 0) | list | length }} {{ tsplay_play_times | selectattr('ended', 'none') | map(attribute='name') | list }} {{ (tsplay_play_times[1].ended >= tsplay_play_times[1].started) and (tsplay_play_times[1].ended <= tsplay_play_times[2].started) }}"
`,
  });
  const r = await run({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'inventory.ini')] });
  t.equal(r.exitCode, 0);
  t.same(messages(r.events).a, [
    "['step one', 'step one', 'report'] [['a'], ['b'], ['a']]",
    "2 ['report'] True",
  ]);
});
