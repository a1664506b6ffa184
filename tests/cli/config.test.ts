/**
 * ansible.cfg and ANSIBLE_* settings: found where Ansible finds them, acted
 * on by `tsplay run`, warned about when tsplay does not act on them, and
 * shown by `tsplay config dump --only-changed` as ansible-config shows them.
 * Every run gets its own HOME and ANSIBLE_CONFIG, so no file of the machine's
 * takes part.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCli, removeBuild } from '../compat/helpers.js';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';
import { parseIni } from '../../lib/config/ini.js';
import { isTsplayError } from '../../lib/errors.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const cli = buildCli('config');
t.teardown(() => removeBuild(cli));

function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** A project folder with its own HOME, and an environment free of the caller's ANSIBLE_* settings. */
function project(files: Record<string, string>): { dir: string; env: NodeJS.ProcessEnv } {
  const { env, home } = hermeticAnsibleEnv('tsplay-config-');
  const dir = path.join(home, 'project');
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  delete env.ANSIBLE_CONFIG; // ./ansible.cfg is found as Ansible finds it
  delete env.ANSIBLE_RETRY_FILES_ENABLED;
  return { dir, env: { ...env, CI: '1', NO_COLOR: '1' } };
}

const tsplay = (args: string[], p: { dir: string; env: NodeJS.ProcessEnv }, extraEnv: NodeJS.ProcessEnv = {}) =>
  exec(process.execPath, [cli, ...args], p.dir, { ...p.env, ...extraEnv });

const HOSTS = 'web1 ansible_connection=local\n';
const PLAY = `- hosts: all
  gather_facts: no
  tasks:
    - copy:
        content: "forks={{ ansible_forks }}\\n"
        dest: "{{ playbook_dir }}/out-{{ inventory_hostname }}.txt"
`;

t.test('the INI reader reads the configparser dialect', async (t) => {
  const entries = parseIni('# comment\n[defaults]\nInventory = hosts ; a comment\nforks: 7\nssh_args = -o A=1\n  -o B=2\nkey=a;b\n', 'ansible.cfg');
  t.same(
    entries.map((e) => [e.section, e.key, e.value, e.line]),
    [
      ['defaults', 'inventory', 'hosts', 3],
      ['defaults', 'forks', '7', 4],
      ['defaults', 'ssh_args', '-o A=1\n-o B=2', 5],
      ['defaults', 'key', 'a;b', 7],
    ],
  );
  for (const [text, line] of [
    ['forks = 3\n', 1],
    ['[defaults]\nforks = 3\nforks = 4\n', 3],
    ['[defaults]\n\njust words\n', 3],
  ] as const) {
    try {
      parseIni(text, '/x/ansible.cfg');
      t.fail(`accepted ${JSON.stringify(text)}`);
    } catch (e) {
      t.ok(isTsplayError(e) && e.pos?.line === line && e.exitCode === 5 && e.message.includes(`/x/ansible.cfg:${line}`), `${JSON.stringify(text)}: line ${line}`);
    }
  }
});

t.test('inventory = hosts in ./ansible.cfg, relative to the file, makes the run find its hosts', async (t) => {
  const p = project({ 'ansible.cfg': '[defaults]\ninventory = hosts\nforks = 7\n', hosts: HOSTS, 'play.yml': PLAY });
  const r = await tsplay(['run', 'play.yml'], p);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /web1\s+: ok=1\s+changed=1/);
  t.equal(readFileSync(path.join(p.dir, 'out-web1.txt'), 'utf8'), 'forks=7\n');
  t.notMatch(r.stderr, /WARNING/);
});

t.test('ANSIBLE_CONFIG names a folder; relative paths start at the file, not the working directory', async (t) => {
  const p = project({ 'play.yml': PLAY });
  const conf = path.join(p.dir, 'conf');
  mkdirSync(conf);
  writeFileSync(path.join(conf, 'ansible.cfg'), '[defaults]\ninventory = hosts\n');
  writeFileSync(path.join(conf, 'hosts'), HOSTS);
  const r = await tsplay(['run', 'play.yml'], p, { ANSIBLE_CONFIG: conf });
  t.equal(r.code, 0, r.stderr);
  t.ok(existsSync(path.join(p.dir, 'out-web1.txt')));
});

t.test('the command line wins over ANSIBLE_* which wins over ansible.cfg', async (t) => {
  const p = project({ 'ansible.cfg': '[defaults]\ninventory = hosts\nforks = 7\n', hosts: HOSTS, 'play.yml': PLAY });
  const out = path.join(p.dir, 'out-web1.txt');
  t.equal((await tsplay(['run', 'play.yml'], p, { ANSIBLE_FORKS: '3' })).code, 0);
  t.equal(readFileSync(out, 'utf8'), 'forks=3\n');
  t.equal((await tsplay(['run', 'play.yml', '-f', '2'], p, { ANSIBLE_FORKS: '3' })).code, 0);
  t.equal(readFileSync(out, 'utf8'), 'forks=2\n');
});

t.test('settings tsplay does not act on are warnings naming them, never silence', async (t) => {
  const p = project({
    'ansible.cfg': '[defaults]\ninventory = hosts\nroles_path = roles\nretry_files_enabled = True\ngathering = explicit\n',
    hosts: HOSTS,
    'play.yml': PLAY,
  });
  const cfg = path.join(p.dir, 'ansible.cfg');
  const r = await tsplay(['run', 'play.yml'], p, { ANSIBLE_STDOUT_CALLBACK: 'yaml' });
  t.equal(r.code, 0, r.stderr);
  t.notMatch(r.stderr, 'DEFAULT_ROLES_PATH', 'roles_path is acted on, so not warned about');
  t.match(r.stderr, `[WARNING]: RETRY_FILES_ENABLED (${cfg}:4): tsplay writes no .retry files`);
  t.match(r.stderr, `[WARNING]: ${cfg}:5: setting 'gathering' in [defaults] is not supported by tsplay and was ignored`);
  t.match(r.stderr, '[WARNING]: DEFAULT_STDOUT_CALLBACK (env: ANSIBLE_STDOUT_CALLBACK): tsplay has no yaml output');
});

t.test("roles_path in ansible.cfg is where roles are found, relative to the file, after roles/ beside the playbook", async (t) => {
  const p = project({
    'ansible.cfg': '[defaults]\ninventory = hosts\nroles_path = shelf:elsewhere\n',
    hosts: HOSTS,
    'play.yml': '- hosts: all\n  gather_facts: false\n  roles:\n    - writer\n',
  });
  mkdirSync(path.join(p.dir, 'elsewhere', 'writer', 'tasks'), { recursive: true });
  writeFileSync(path.join(p.dir, 'elsewhere', 'writer', 'tasks', 'main.yml'), '- copy:\n    content: "{{ role_name }} from {{ role_path | basename }}\\n"\n    dest: "{{ playbook_dir }}/wrote.txt"\n');
  const r = await tsplay(['run', 'play.yml'], p);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, 'TASK [writer : copy]');
  t.equal(readFileSync(path.join(p.dir, 'wrote.txt'), 'utf8'), 'writer from writer\n');
  writeFileSync(path.join(p.dir, 'ansible.cfg'), '[defaults]\ninventory = hosts\n');
  const missing = await tsplay(['run', 'play.yml'], p);
  t.equal(missing.code, 1, 'without roles_path the role is not found: exit 1, as ansible-playbook');
  t.match(missing.stderr + missing.stdout, "the role 'writer' was not found");
});

t.test('a malformed ansible.cfg is an error naming file:line, exit 5 as Ansible', async (t) => {
  const p = project({ 'ansible.cfg': '[defaults]\nforks = 3\nthis is not a setting\n', 'play.yml': PLAY });
  const r = await tsplay(['run', 'play.yml'], p);
  t.equal(r.code, 5);
  t.match(r.stderr, `${path.join(p.dir, 'ansible.cfg')}:3`);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  writeFileSync(path.join(p.dir, 'ansible.cfg'), '[defaults]\nforks = 3\n');
  const bad = await tsplay(['run', 'play.yml'], p, { ANSIBLE_FORKS: 'many' });
  t.equal(bad.code, 5);
  t.match(bad.stderr, 'DEFAULT_FORKS (from env: ANSIBLE_FORKS)');
  const method = await tsplay(['run', 'play.yml'], p, { ANSIBLE_BECOME_METHOD: 'pbrun' });
  t.equal(method.code, 5);
  t.match(method.stderr, "become_method 'pbrun' (env: ANSIBLE_BECOME_METHOD) is not supported");
});

t.test('an ansible.cfg in a world-writable working directory is ignored with a warning', async (t) => {
  const p = project({ 'ansible.cfg': '[defaults]\ninventory = hosts\n', hosts: HOSTS, 'play.yml': PLAY });
  chmodSync(p.dir, 0o777);
  const r = await tsplay(['run', 'play.yml'], p);
  chmodSync(p.dir, 0o755);
  t.equal(r.code, 0);
  t.match(r.stderr, 'Ansible is being run in a world writable directory');
  t.match(r.stderr, 'No inventory was parsed');
  t.notOk(existsSync(path.join(p.dir, 'out-web1.txt')), 'no host matched');
});

t.test('stdout_callback = json prints the run record; callbacks_enabled = timer prints the run time', async (t) => {
  const p = project({ 'ansible.cfg': '[defaults]\ninventory = hosts\nstdout_callback = json\n', hosts: HOSTS, 'play.yml': PLAY });
  const json = await tsplay(['run', 'play.yml'], p);
  t.equal(json.code, 0, json.stderr);
  const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  t.equal(events.at(-1)?.type, 'run_end');
  const timed = await tsplay(['run', 'play.yml'], p, { ANSIBLE_STDOUT_CALLBACK: 'default', ANSIBLE_CALLBACKS_ENABLED: 'timer, profile_tasks' });
  t.equal(timed.code, 0, timed.stderr);
  t.notMatch(timed.stderr, /WARNING/);
  t.match(timed.stdout, /PLAY RECAP[^]*\nPlaybook run took 0 days, 0 hours, \d+ minutes, \d+ seconds\n$/);
  // profile_tasks: a time line after the task's banner, and the task in the summary after the recap.
  t.match(timed.stdout, /TASK \[copy\] \*+\n\w+day \d\d \w+ \d{4}  \d\d:\d\d:\d\d [+-]\d{4} \(\d:\d\d:\d\d\.\d{3}\) {7}\d:\d\d:\d\d\.\d{3} \*+ \n/);
  t.match(timed.stdout, /PLAY RECAP[^]*\n={79} \ncopy -+ \d+\.\d\ds\n/);
});

t.test('tsplay config dump --only-changed prints what ansible-config prints for the settings tsplay reads', async (t) => {
  const p = project({
    'ansible.cfg': [
      '[defaults]',
      'inventory = hosts, other',
      'remote_user: deploy',
      'private_key_file = ~/.ssh/deploy_key',
      'forks = 7',
      'host_key_checking = False',
      'timeout = 30',
      'vault_password_file = vault.txt',
      '[privilege_escalation]',
      'become = True',
      'become_user = app',
      'become_method = su',
      '',
    ].join('\n'),
  });
  const env = { ANSIBLE_BECOME_ASK_PASS: 'yes' };
  const ours = await tsplay(['config', 'dump', '--only-changed'], p, env);
  t.equal(ours.code, 0, ours.stderr);
  const theirs = await exec('ansible-config', ['dump', '--only-changed'], p.dir, { ...p.env, ...env });
  t.equal(theirs.code, 0, theirs.stderr);
  const lines = ours.stdout.trim().split('\n');
  t.equal(lines.length, 12, ours.stdout);
  const ansibleLines = new Set(theirs.stdout.trim().split('\n'));
  for (const l of lines) t.ok(ansibleLines.has(l), l);
  t.match(ours.stdout, `DEFAULT_HOST_LIST(${path.join(p.dir, 'ansible.cfg')}) = ['${path.join(p.dir, 'hosts')}', '${path.join(p.dir, 'other')}']`);
});

t.test('tsplay config view prints the file in use', async (t) => {
  const text = '[defaults]\nforks = 3 ; comment kept\n';
  const p = project({ 'ansible.cfg': text });
  const r = await tsplay(['config', 'view'], p);
  t.equal(r.code, 0);
  t.equal(r.stdout, text);
});

t.test('tsplay inventory reads the configured inventory too, as ansible-inventory does', async (t) => {
  const p = project({ 'ansible.cfg': '[defaults]\ninventory = hosts\n', hosts: '[web]\nweb1 ansible_connection=local\n' });
  const ours = await tsplay(['inventory', '--list'], p);
  t.equal(ours.code, 0, ours.stderr);
  const theirs = await exec('ansible-inventory', ['--list'], p.dir, p.env);
  t.equal(theirs.code, 0, theirs.stderr);
  t.same(JSON.parse(ours.stdout), JSON.parse(theirs.stdout));
  t.same(JSON.parse(ours.stdout).web.hosts, ['web1']);
});
