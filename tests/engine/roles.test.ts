/**
 * Roles in-process: the forms of a role's files and names Ansible accepts
 * (main.yaml, no extension, a role named by path, `name:` in a dependency,
 * roles_path given by a library caller), and the mistakes, each an error
 * naming file:line:col and what to do, before any host is touched.
 */
import t from 'tap';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isTsplayError } from '../../lib/errors.js';
import { messages, run, tempDir } from './helpers.js';

/** Writes a tree of files (relative path → content) under a new temp dir. */
function tree(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const inventory = 'h ansible_connection=local\n';

async function runTree(files: Record<string, string>, opts: { rolesPath?: string[] } = {}) {
  const dir = tree({ hosts: inventory, ...files });
  const r = await run({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'hosts')], rolesPath: opts.rolesPath?.map((p) => path.join(dir, p)) });
  return { ...r, dir };
}

async function loadError(files: Record<string, string>): Promise<{ message: string; where: string; hint: string; exitCode: number }> {
  const dir = tree({ hosts: inventory, ...files });
  try {
    await run({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'hosts')] });
  } catch (e) {
    if (!isTsplayError(e)) throw e;
    const where = e.pos ? `${path.relative(dir, e.pos.file)}:${e.pos.line}:${e.pos.col}` : '';
    return { message: e.message, where, hint: e.hint ?? '', exitCode: e.exitCode };
  }
  throw new Error('the playbook loaded');
}

const play = (roles: string, tasks = '') => `- hosts: all\n  gather_facts: false\n  roles:\n${roles}\n${tasks ? `  tasks:\n${tasks}\n` : ''}`;

t.test('tasks/main.yaml, a main file without extension, and a role named by its path', async (t) => {
  const r = await runTree({
    'site.yml': play('    - yaml_ext\n    - no_ext\n    - ./elsewhere/by_path'),
    'roles/yaml_ext/tasks/main.yaml': '- debug: msg="yaml {{ role_name }}"\n',
    'roles/no_ext/tasks/main': '- debug: msg="none {{ role_name }}"\n',
    'elsewhere/by_path/tasks/main.yml': '- debug: msg="path {{ role_name }}"\n',
  });
  t.equal(r.exitCode, 0);
  t.same(messages(r.events).h, ['yaml yaml_ext', 'none no_ext', 'path by_path']);
  const banners = r.events.filter((e) => e.type === 'task_start').map((e) => (e as { name: string }).name);
  t.same(banners, ['yaml_ext : debug', 'no_ext : debug', 'by_path : debug']);
});

t.test('roles_path of a library caller; a dependency written with name: and a parameter', async (t) => {
  const r = await runTree(
    {
      'site.yml': play('    - app'),
      'shelf/app/meta/main.yml': 'dependencies:\n  - name: base\n    who: app\n',
      'shelf/app/tasks/main.yml': '- debug: msg=app\n',
      'shelf/base/tasks/main.yml': '- debug: msg="base for {{ who }}"\n',
    },
    { rolesPath: ['shelf'] },
  );
  t.equal(r.exitCode, 0);
  t.same(messages(r.events).h, ['base for app', 'app']);
});

t.test("a role's file and template: the role's folders first, then the playbook's", async (t) => {
  const r = await runTree({
    'site.yml': play('    - writer'),
    'roles/writer/files/a.txt': 'from the role\n',
    'files/a.txt': 'from the playbook\n',
    'files/b.txt': 'only the playbook has it\n',
    'roles/writer/templates/t.j2': '{{ role_name }} {{ lookup("file", "a.txt") }}\n',
    'roles/writer/tasks/main.yml': [
      '- copy: { src: a.txt, dest: "{{ playbook_dir }}/out-a.txt" }',
      '- copy: { src: b.txt, dest: "{{ playbook_dir }}/out-b.txt" }',
      '- template: { src: t.j2, dest: "{{ playbook_dir }}/out-t.txt" }',
      '',
    ].join('\n'),
  });
  t.equal(r.exitCode, 0, JSON.stringify(r.failures));
  t.equal(readFileSync(path.join(r.dir, 'out-a.txt'), 'utf8'), 'from the role\n');
  t.equal(readFileSync(path.join(r.dir, 'out-b.txt'), 'utf8'), 'only the playbook has it\n');
  t.equal(readFileSync(path.join(r.dir, 'out-t.txt'), 'utf8'), 'writer from the role\n');
});

t.test('include_role over a loop of role names; a role that has run is passed over by roles: but not by include_role', async (t) => {
  const r = await runTree({
    'site.yml': play('    - one\n    - one', '    - include_role: { name: "{{ item }}" }\n      loop: [one, two, one]'),
    'roles/one/tasks/main.yml': '- debug: msg=one\n',
    'roles/two/tasks/main.yml': '- debug: msg=two\n',
  });
  t.equal(r.exitCode, 0);
  t.same(messages(r.events).h, ['one', 'one', 'two', 'one']);
  t.notOk(existsSync(path.join(r.dir, 'roles', 'one', 'meta')), 'no allow_duplicates anywhere');
});

t.test('a handler of a role runs with the role variables, notified by role : name', async (t) => {
  const r = await runTree({
    'site.yml': play('    - svc', '    - command: "true"\n      notify: "svc : restart"'),
    'roles/svc/defaults/main.yml': 'svc_name: etcd\n',
    'roles/svc/tasks/main.yml': '- debug: msg=svc\n',
    'roles/svc/handlers/main.yml': '- name: restart\n  debug: msg="restart {{ svc_name }} in {{ role_name }}"\n',
  });
  t.equal(r.exitCode, 0);
  t.same(messages(r.events).h, ['svc', 'restart etcd in svc']);
});

t.test('mistakes stop the load with file:line:col and what to do', async (t) => {
  const notList = await loadError({ 'site.yml': '- hosts: all\n  roles: common\n' });
  t.match(notList.message, "'roles' must be a list");
  t.equal(notList.where, 'site.yml:2:10');

  const noName = await loadError({ 'site.yml': play('    - tags: [x]') });
  t.match(noName.message, "a role needs the role's name in 'role:'");
  t.equal(noName.where, 'site.yml:4:7');
  t.match(noName.hint, "'- role: common'");

  const badDeps = await loadError({ 'site.yml': play('    - r'), 'roles/r/meta/main.yml': 'dependencies: base\n' });
  t.match(badDeps.message, "the dependencies of role 'r' must be a list");
  t.equal(badDeps.where, 'roles/r/meta/main.yml:1:1');

  const badVars = await loadError({ 'site.yml': play('    - r'), 'roles/r/vars/main.yml': '- a\n- b\n' });
  t.match(badVars.message, /must hold a mapping of variable names to values/);
  t.equal(badVars.where, 'roles/r/vars/main.yml:1:1');

  const templated = await loadError({ 'site.yml': '- hosts: all\n  tasks:\n    - import_role: { name: "{{ r }}" }\n' });
  t.match(templated.message, 'a role named by a template must be included, not imported');
  t.match(templated.hint, 'include_role');

  const templatedFrom = await loadError({ 'site.yml': '- hosts: all\n  tasks:\n    - import_role:\n        name: r\n        tasks_from: "{{ x }}"\n', 'roles/r/tasks/main.yml': '- debug: msg=r\n' });
  t.match(templatedFrom.message, 'import_role needs a plain tasks_from, not a template');
  t.equal(templatedFrom.where, 'site.yml:5:9');

  const looped = await loadError({ 'site.yml': '- hosts: all\n  tasks:\n    - import_role: { name: r }\n      loop: [1]\n' });
  t.match(looped.message, 'import_role cannot loop');
  t.equal(looped.where, 'site.yml:4:7');

  const group = await loadError({ 'site.yml': '- hosts: all\n  module_defaults:\n    group/aws: { region: x }\n  tasks: []\n' });
  t.match(group.message, 'module_defaults action groups are not supported: group/aws');
  t.equal(group.where, 'site.yml:3:5');
  t.match(group.hint, 'by its name');

  const noRoleName = await loadError({ 'site.yml': '- hosts: all\n  tasks:\n    - include_role: { tasks_from: x }\n' });
  t.match(noRoleName.message, "'name' is a required field for include_role.");
  t.equal(noRoleName.exitCode, 4);
});

t.test('--list-tasks lists a named role task as role : name, an unnamed one by its action, include_role by its action', async (t) => {
  const dir = tree({
    hosts: inventory,
    'site.yml': play('    - r', '    - include_role: { name: r }'),
    'roles/r/tasks/main.yml': '- name: named\n  debug: msg=a\n- debug: msg=b\n',
  });
  const { describePlaybooks } = await import('../../lib/cli/list-command.js');
  let text = '';
  const io = { out: (s: string) => void (text += s), err: (s: string) => void (text += s), isTTY: false };
  const code = await describePlaybooks({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'hosts')] }, { listHosts: false, listTasks: true }, io as never);
  t.equal(code, 0);
  t.match(text, /\n {6}r : named\tTAGS: \[\]\n {6}debug\tTAGS: \[\]\n {6}include_role\tTAGS: \[\]\n/);
});
