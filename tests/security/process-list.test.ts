/**
 * A task's environment and script never appear in the process list: while a
 * `no_log` task with `environment:` runs on every transport (the SSH session
 * shell, an SSH channel, the local connection), without become, with sudo
 * (with and without a password prompt) and with su, every process's command
 * line on the machine (/proc/PID/cmdline, what `ps` shows every user) is read
 * and none holds the secret. The command still gets the variable, and the
 * secret reaches no output and no log.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTHER_PASSWORD, OTHER_USER, PW_USER, PW_USER_PASSWORD, TEST_USER } from '../helpers/sshd.js';
import { keyedSshd } from '../connection/helpers.js';
import { buildCli, removeBuild } from './helpers.js';

const cli = buildCli('security-process-list');
t.teardown(() => removeBuild(cli));

const ssh = await keyedSshd('proc-list', '127.0.20.197', [TEST_USER, PW_USER]);
// Written by the commands as other users: open to all, removed at the end.
const work = mkdtempSync(join(tmpdir(), 'tsplay-proc-list-'));
chmodSync(work, 0o1777);
t.teardown(() => rmSync(work, { recursive: true, force: true }));

const ENV_SECRET = `envsecret${randomBytes(8).toString('hex')}`;
const SCRIPT_SECRET = `scriptsecret${randomBytes(8).toString('hex')}`;

const sshHost = (name: string, user: string, extra: string) => {
  const v = ssh.vars(user);
  return `${name} ansible_host=${String(v.ansible_host)} ansible_port=${String(v.ansible_port)} ansible_user=${user} ansible_ssh_private_key_file=${String(v.ansible_ssh_private_key_file)} ansible_ssh_common_args='${String(v.ansible_ssh_common_args)}' ${extra}`;
};
const HOSTS = {
  'ssh-plain': sshHost('ssh-plain', TEST_USER, ''),
  'ssh-sudo': sshHost('ssh-sudo', TEST_USER, 'ansible_become=true'),
  'ssh-sudo-pw': sshHost('ssh-sudo-pw', PW_USER, `ansible_become=true ansible_become_password=${PW_USER_PASSWORD}`),
  'ssh-su': sshHost('ssh-su', TEST_USER, `ansible_become=true ansible_become_method=su ansible_become_user=${OTHER_USER} ansible_become_password=${OTHER_PASSWORD}`),
  'local-plain': 'local-plain ansible_connection=local',
  'local-sudo': 'local-sudo ansible_connection=local ansible_become=true ansible_become_user=nobody',
  'local-su': `local-su ansible_connection=local ansible_become=true ansible_become_method=su ansible_become_user=${OTHER_USER}`,
};
const names = Object.keys(HOSTS);
writeFileSync(join(work, 'hosts'), `${Object.values(HOSTS).join('\n')}\n[all:vars]\nenv_secret=${ENV_SECRET}\nscript_secret=${SCRIPT_SECRET}\n`);

// Each command says it started, then waits for the test's go; the second task
// has a timeout, which takes an SSH channel of its own instead of the session shell.
const task = (n: number, extra: string) => `    - name: step ${n}
      shell: |
        : {{ script_secret }}
        printf '%s' "$SECRET" > ${work}/{{ inventory_hostname }}.${n}
        while [ ! -e ${work}/go.${n} ]; do sleep 0.05; done
      environment:
        SECRET: "{{ env_secret }}"
      no_log: true
${extra}`;
writeFileSync(
  join(work, 'play.yml'),
  `- hosts: all
  gather_facts: false
  tasks:
${task(1, '')}${task(2, '      timeout: 600\n')}`,
);

/** Every command line on the machine that holds `needle`. */
function commandLinesWith(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let line: string;
    try {
      line = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    } catch {
      continue; // the process ended meanwhile
    }
    if (line.includes(needle)) found.push(`${pid}: ${line.replace(/\0/g, ' ')}`);
  }
  return found;
}

async function until(what: string, ok: () => boolean, exited: () => boolean): Promise<void> {
  // Far above a loaded machine's time; the run ending first fails at once.
  for (let i = 0; i < 2400; i++) {
    if (ok()) return;
    if (exited()) throw new Error(`tsplay ended while waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

t.test('no transport or become method shows the environment or the script in the process list', async (t) => {
  const log = join(work, 'run.log');
  const child = spawn(process.execPath, [cli, 'run', '-i', 'hosts', 'play.yml', '-f', '10', '-vvv', '--log', log], {
    cwd: work,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let code: number | null | undefined;
  const exited = new Promise<void>((r) => child.on('close', (c) => ((code = c), r())));
  const ended = () => code !== undefined;

  for (const n of [1, 2]) {
    await until(`every host to start step ${n}`, () => names.every((h) => existsSync(join(work, `${h}.${n}`))), ended);
    for (const secret of [ENV_SECRET, SCRIPT_SECRET]) t.same(commandLinesWith(secret), [], `step ${n}: no command line holds the ${secret === ENV_SECRET ? 'environment' : 'script'} secret`);
    writeFileSync(join(work, `go.${n}`), '');
  }
  await exited;
  t.equal(code, 0, `the run succeeds\n${stdout}\n${stderr}`);
  for (const n of [1, 2]) for (const h of names) t.equal(readFileSync(join(work, `${h}.${n}`), 'utf8'), ENV_SECRET, `${h} step ${n}: the command got the variable`);
  const logText = readFileSync(log, 'utf8');
  for (const secret of [ENV_SECRET, SCRIPT_SECRET]) {
    t.notOk(stdout.includes(secret), 'not on stdout');
    t.notOk(stderr.includes(secret), 'not on stderr');
    t.notOk(logText.includes(secret), 'not in the log');
  }
  t.match(stdout, /ssh-su\s+: ok=2\s+changed=2\s+unreachable=0\s+failed=0/, 'su ran both steps');
});
