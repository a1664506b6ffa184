/**
 * wait_for_connection through the real ansible-playbook 2.14 and tsplay on a
 * local connection (ansible_connection=local for both): the ok path (with
 * and without `delay`), an unknown option, and check mode. Compared: exit
 * codes, recaps, each task's status and the registered results. `elapsed`
 * is compared by type and by what the playbook asserts (>= delay): its
 * value is how long the host took to answer, which differs run to run
 * (Ansible's own ping starts a Python interpreter; tsplay's runs `true`).
 * Ansible's failure for an unknown option also carries `exception:
 * "NoneType: None\n"`, a traceback of no exception; it is left out here.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCli, exec, ansibleEnv, parseRecap, parseSections, runTsplay, scratchDir, type Run } from './helpers.js';

const cli = buildCli('parity-wait-for-connection');
const scratch = scratchDir('tsplay-parity-wfc-');
const inventory = path.join(scratch, 'hosts');
writeFileSync(inventory, 'solo ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
const playbook = path.join(scratch, 'wait.yml');
writeFileSync(
  playbook,
  `- hosts: all
  gather_facts: false
  tasks:
    - name: plain
      wait_for_connection:
        connect_timeout: 5
        sleep: 1
        timeout: 10
      register: plain
    - name: with a delay
      wait_for_connection:
        delay: 2
        timeout: "10"
      register: delayed
    - name: the delay is counted
      assert:
        that: delayed is skipped or delayed.elapsed >= 2
    - name: an unknown option
      wait_for_connection:
        foo: bar
      register: invalid
      ignore_errors: true
    - name: the results
      debug:
        msg: "{{ {'plain': plain, 'delayed': delayed, 'invalid': invalid} }}"
`,
);

function run(tool: 'ansible' | 'tsplay', args: string[]): Promise<Run> {
  const argv = [playbook, '-i', inventory, ...args];
  return tool === 'ansible' ? exec('ansible-playbook', argv, { cwd: scratch, env: ansibleEnv }) : runTsplay(cli, argv, scratch);
}

function statuses(r: Run): string[] {
  return parseSections(r.stdout)
    .filter((s) => s.banner.startsWith('TASK'))
    .map((s) => `${s.banner}: ${s.lines.map((l) => `${/^(\w+)/.exec(l)?.[1]}${l.includes('...ignoring') ? ' (ignored)' : ''}`).join(',')}`);
}

/** The registered results as the last task prints them, `elapsed` as its type. */
function results(r: Run): unknown {
  const line = parseSections(r.stdout).find((s) => s.banner === 'TASK [the results]')?.lines[0] ?? '';
  try {
    const parsed = JSON.parse(line.slice(line.indexOf('=> ') + 3), (k, v) => (k === 'exception' ? undefined : k === 'elapsed' ? `<${typeof v}>` : v));
    return parsed.msg;
  } catch {
    return `unparsable: ${line}`;
  }
}

for (const [phase, args] of [
  ['real', []],
  ['check', ['--check']],
] as const) {
  t.test(`${phase} run`, async (t) => {
    const [a, b] = await Promise.all([run('ansible', [...args]), run('tsplay', [...args])]);
    const detail = `\n--- ansible-playbook\n${a.stdout}${a.stderr}\n--- tsplay\n${b.stdout}${b.stderr}`;
    t.ok(Object.keys(parseRecap(a.stdout)).length > 0, 'ansible-playbook ran the host', { detail });
    t.same(parseRecap(b.stdout), parseRecap(a.stdout), 'same PLAY RECAP', { detail });
    t.equal(b.code, a.code, 'same exit code', { detail });
    t.same(statuses(b), statuses(a), 'same status for every task', { detail });
    t.same(results(b), results(a), 'same registered results', { detail });
    if (phase === 'real') {
      t.match(results(b), { plain: { elapsed: '<number>', failed: false }, invalid: { failed: true, msg: 'Invalid options for wait_for_connection: foo' } }, 'what the comparison stands on', { detail });
    } else {
      t.match(results(b), { plain: { skipped: true }, invalid: { skipped: true } }, 'check mode skips it, unknown options too', { detail });
    }
  });
}
