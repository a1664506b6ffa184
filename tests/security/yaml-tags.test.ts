/**
 * The YAML tags Ansible knows: `!unsafe` text is data wherever it is
 * written (play vars, vars files, -e, YAML inventories) and wherever it is
 * copied (set_fact, loops, filters, hostvars); `!!binary` is its text; an
 * unknown tag is refused with Ansible's message and exit code. A `!vault`
 * become password in a YAML inventory is never the ciphertext.
 */
import t from 'tap';
import { both, buildCli, parseSections, removeBuild, sameAsAnsible, scratch } from './helpers.js';

const cli = buildCli('security-yaml-tags');
t.teardown(() => removeBuild(cli));

t.test('!unsafe values are never rendered, wherever they come from and go', async (t) => {
  const s = scratch('tsplay-sec-unsafe-tag-');
  s.write(
    'hosts.yml',
    `all:
  hosts:
    web:
      ansible_connection: local
      ansible_python_interpreter: /usr/bin/python3
      inv_note: !unsafe "{{ hostvars.db.db_token }} from the inventory"
    db:
      ansible_connection: local
      ansible_python_interpreter: /usr/bin/python3
      db_token: DBSECRET
`,
  );
  s.write('vars.yml', 'file_note: !unsafe "{% if true %}{{ db_token }}{% endif %}"\n');
  s.write('extra.yml', 'extra_note: !unsafe "{{ hostvars.db.db_token }} from -e"\n');
  s.write(
    'play.yml',
    `- hosts: web
  gather_facts: no
  vars_files: [vars.yml]
  vars:
    play_note: !unsafe "{{ hostvars.db.db_token }} from the play"
    notes: "{{ [play_note, file_note, extra_note, inv_note] }}"
  tasks:
    - debug: var=play_note
    - debug: msg="{{ notes }}"
    - set_fact:
        copied: "{{ play_note }}"
        upper: "{{ file_note | upper }}"
        first: "{{ notes | first }}"
    - debug: msg="{{ copied }} | {{ upper }} | {{ first }}"
    - debug: msg="{{ item }}"
      loop: "{{ notes | map('trim') | list }}"
    - command: echo {{ extra_note }} {{ inv_note }}
      register: out
    - debug: var=out.stdout
- hosts: db
  gather_facts: no
  tasks:
    - debug: msg="{{ hostvars.web.copied }} | {{ hostvars.web.inv_note }}"
`,
  );
  const run = await both(cli, s, ['-i', 'hosts.yml', 'play.yml', '-e', '@extra.yml']);
  const { tsplay } = run;
  sameAsAnsible(t, run, { exitCode: 0 });
  t.notMatch(tsplay.stdout, 'DBSECRET', 'nothing tagged !unsafe was rendered');
});

t.test('!!binary is its text; !custom is refused as Ansible refuses it', async (t) => {
  const s = scratch('tsplay-sec-tags-');
  s.write('hosts', 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  s.write(
    'binary.yml',
    `- hosts: localhost
  gather_facts: no
  vars:
    b: !!binary aGVsbG8gd29ybGQ=
  tasks:
    - debug: msg="{{ b }}"
`,
  );
  const bin = await both(cli, s, ['-i', 'hosts', 'binary.yml']);
  t.equal(bin.tsplay.code, bin.ansible.code, '!!binary: same exit code');
  t.same(parseSections(bin.tsplay.stdout), parseSections(bin.ansible.stdout), '!!binary: same output');

  for (const [file, text] of [
    ['custom.yml', `- hosts: localhost\n  gather_facts: no\n  vars:\n    c: !custom hello\n  tasks:\n    - debug: msg="{{ c }}"\n`],
    ['custom-task.yml', `- hosts: localhost\n  gather_facts: no\n  tasks:\n    - debug: !whatever\n        msg: hi\n`],
  ] as const) {
    s.write(file, text);
    const r = await both(cli, s, ['-i', 'hosts', file]);
    t.equal(r.tsplay.code, r.ansible.code, `${file}: same exit code`);
    t.equal(r.tsplay.code, 4);
    const tag = /!(custom|whatever)/.exec(text)![0];
    t.match(r.ansible.stderr + r.ansible.stdout, `could not determine a constructor for the tag '${tag}'`);
    t.match(r.tsplay.stderr, `could not determine a constructor for the tag '${tag}'`, `${file}: Ansible's message`);
    t.match(r.tsplay.stderr, new RegExp(`${file}:\\d+:\\d+`), `${file}: with file:line:col`);
  }
});
