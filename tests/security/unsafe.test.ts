/**
 * What comes from a host is data forever: a registered stdout, a fact, a
 * module's result that reads like a template is passed on literally,
 * through set_fact, loops, filters and hostvars, never rendered. Compared
 * with the real ansible-playbook 2.14.
 */
import t from 'tap';
import { both, buildCli, removeBuild, sameAsAnsible, scratch, tsplayCli } from './helpers.js';

const cli = buildCli('security-unsafe');
t.teardown(() => removeBuild(cli));

const INVENTORY = `web ansible_connection=local ansible_python_interpreter=/usr/bin/python3
db ansible_connection=local ansible_python_interpreter=/usr/bin/python3 db_token=DBSECRET
`;

t.test('a registered stdout that looks like a template stays text', async (t) => {
  const s = scratch('tsplay-sec-unsafe-', {
    hosts: INVENTORY,
    'play.yml': `- hosts: web
  gather_facts: no
  tasks:
    - command: echo "{{ '{{' }} hostvars.db.db_token }}"
      register: r
    - debug: var=r.stdout
    - command: echo {{ r.stdout }}
      register: r2
    - debug: msg="{{ r2.stdout }}"
    - set_fact:
        copied: "{{ r.stdout }}"
        trimmed: "{{ r.stdout | trim | upper | lower }}"
        joined: "{{ r.stdout_lines | map('trim') | list }}"
        combined: "{{ {'a': r.stdout ~ ''} }}"
    - debug: msg="{{ copied }} {{ trimmed }} {{ joined }} {{ combined }}"
    - debug: msg="{{ item }}"
      loop: "{{ r.stdout_lines | map('trim') | list }}"
    - debug: msg="{{ joined[0] }} {{ combined.a }} {{ joined | first }} {{ (joined + [copied]) | last }}"
    - debug:
        msg: "{{ r.stdout == '{{ hostvars.db.db_token }}' }}"
      changed_when: r.stdout is search('db_token')
- hosts: db
  gather_facts: no
  tasks:
    - debug: msg="{{ hostvars.web.trimmed }} {{ hostvars['web'].r.stdout }} {{ hostvars.web.joined }}"
`,
  });
  const run = await both(cli, s, ['-i', 'hosts', 'play.yml']);
  const { tsplay } = run;
  sameAsAnsible(t, run, { exitCode: 0 });
  t.notMatch(tsplay.stdout, 'DBSECRET', "db's token never reaches web's output");
  t.match(tsplay.stdout, '"msg": "{{ hostvars.db.db_token }}"', 'the second command received the text');
});

t.test("a host that prints a playbook's own template text does not stop that variable from rendering", async (t) => {
  // The text a host returns is data; the operator's variables with the same text are still templates.
  const s = scratch('tsplay-sec-unsafe-authored-', {
    hosts: `web ansible_connection=local ansible_python_interpreter=/usr/bin/python3 name=world inv_greeting="hello {{ name }}"\n`,
    'play.yml': `- hosts: web
  gather_facts: no
  vars:
    greeting: "hello {{ name }}"
    cfg: { msg: "hello {{ name }}", list: ["hello {{ name }}"] }
  tasks:
    - shell: printf 'hello %s%s name }}' '{' '{'
      register: r
    - debug: msg="{{ greeting }} | {{ cfg.msg }} | {{ cfg.list[0] }} | {{ inv_greeting }} | {{ hostvars.web.inv_greeting }} | {{ r.stdout }}"
    - debug: msg="{{ item }}"
      loop: ["{{ greeting }}", "{{ r.stdout }}"]
    - set_fact:
        copied: "{{ r.stdout }}"
    - debug: msg="{{ copied }} | {{ hostvars.web.copied }} | {{ extra }}"
    - block:
        - debug: msg="{{ block_greeting }} | {{ task_greeting }}"
          vars:
            task_greeting: "hello {{ name }}"
      vars:
        block_greeting: "hello {{ name }}"
`,
  });
  const run = await both(cli, s, ['-i', 'hosts', 'play.yml', '-e', 'extra="hello {{ name }}"']);
  const { tsplay } = run;
  sameAsAnsible(t, run, { exitCode: 0 });
  t.match(tsplay.stdout, '"msg": "hello world | hello world | hello world | hello world | hello world | hello {{ name }}"', 'authored variables render; the host text stays text');
  t.match(tsplay.stdout, '"msg": "hello {{ name }} | hello {{ name }} | hello world"', 'a copy of the host text stays text; -e renders');
  t.match(tsplay.stdout, '"msg": "hello world | hello world"', 'block and task vars render');
});

t.test('facts and module results from a host are never rendered, nor is hostvars', async (t) => {
  const s = scratch('tsplay-sec-unsafe-facts-');
  s.write('hosts', INVENTORY);
  // A module of the playbook's own, standing for any module whose result or facts a host controls.
  s.write(
    'modules/hostile.mjs',
    `export default {
  name: 'hostile',
  description: 'Returns host-controlled text as facts and as a result.',
  schema: { type: 'object', additionalProperties: false, properties: {} },
  async plan() {
    return { changed: false, result: { ansible_facts: { motd: '{{ hostvars.db.db_token }}', nested: { list: ['{% if true %}{{ hostvars.db.db_token }}{% endif %}'] } }, banner: '{{ db_token }}' } };
  },
};
`,
  );
  s.write(
    'play.yml',
    `- hosts: web
  gather_facts: no
  tasks:
    - hostile:
      register: h
    - command: echo {{ motd }} {{ nested.list[0] }} {{ h.banner }} {{ ansible_facts.motd | default('none') }}
      register: out
    - debug: var=out.stdout
    - debug: msg="{{ nested | dict2items | map(attribute='value') | flatten }}"
- hosts: db
  gather_facts: no
  tasks:
    - debug: msg="{{ hostvars.web.motd }} {{ hostvars.web.h.banner }} {{ hostvars.web.nested.list }}"
    - command: echo {{ hostvars.web.motd }}
      register: db_out
    - debug: var=db_out.stdout
`,
  );
  const r = await tsplayCli(cli, ['run', '-i', 'hosts', 'play.yml', '-vvv', '--json'], s.dir);
  t.equal(r.code, 0, 'the run succeeds');
  t.notMatch(r.stdout + r.stderr, 'DBSECRET', "db's token is never rendered into anything");
  const plain = await tsplayCli(cli, ['run', '-i', 'hosts', 'play.yml'], s.dir);
  t.match(plain.stdout, '"out.stdout": "{{ hostvars.db.db_token }} {% if true %}{{ hostvars.db.db_token }}{% endif %} {{ db_token }} none"');
  t.match(plain.stdout, '"db_out.stdout": "{{ hostvars.db.db_token }}"', "another host's command gets the text");
});
