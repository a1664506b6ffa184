/**
 * user and group (and hostname, the other module that changes who a host
 * is) through the real ansible-playbook 2.14 and tsplay, on the same lab
 * host as root, one tool after the other from the same clean state: a check
 * run (--check --diff), a real run, a second run (nothing left to change)
 * and a run that removes it all. Compared: exit codes and recaps, each
 * task's status, the registered results (every key Ansible returns), and
 * the accounts (and the host's name) after each run.
 */
import t from 'tap';
import path from 'node:path';
import { ansibleEnv, buildCli, compatDir, exec, parseRecap, parseSections, runTsplay, type Run } from './helpers.js';
import { LAB_INVENTORY, ensureLabUp, labExec } from '../helpers/lab.js';

await ensureLabUp();
const cli = buildCli('parity-users');

const U = 'tsplay-parity-u';
const GROUPS = ['tsplay-parity-g', 'tsplay-parity-g-sys'];
const CLEAN = `userdel -r ${U} 2>/dev/null; for g in ${U} ${GROUPS.join(' ')}; do groupdel "$g" 2>/dev/null; done; true`;
const HOSTNAME = 'master-0.example.com';
const RESTORE_HOSTNAME = `hostnamectl --static set-hostname ${HOSTNAME} && hostnamectl --transient set-hostname ${HOSTNAME} && hostnamectl --pretty set-hostname '' && { [ -s /etc/machine-info ] || rm -f /etc/machine-info; }`;
const STATE = [
  'hostnamectl --transient status; hostnamectl --static status',
  `getent passwd ${U}`,
  `getent shadow ${U} | cut -d: -f2`,
  `getent group ${GROUPS.join(' ')} ${U}`,
  `if [ -d /home/${U} ]; then stat -c '%n %U %G %a' /home/${U}; ls -A /home/${U}; fi`,
  'true',
].join('; ');

t.teardown(() => labExec('master-0', `${CLEAN}; ${RESTORE_HOSTNAME}`));

type Tool = 'ansible' | 'tsplay';

function run(tool: Tool, playbook: string, args: string[] = []): Promise<Run> {
  const argv = [path.join('playbooks', playbook), '-i', LAB_INVENTORY, '--limit', 'master-0', ...args];
  return tool === 'ansible' ? exec('ansible-playbook', argv, { cwd: compatDir, env: ansibleEnv }) : runTsplay(cli, argv);
}

async function hostState(): Promise<string> {
  return (await labExec('master-0', STATE)).stdout;
}

/** Each task's status for the host: ok, changed, failed (ignored), skipping. */
function statuses(r: Run): string[] {
  return parseSections(r.stdout)
    .filter((s) => s.banner.startsWith('TASK'))
    .map((s) => `${s.banner}: ${s.lines.map((l) => `${/^(\w+)/.exec(l)?.[1]}${l.includes('...ignoring') ? ' (ignored)' : ''}`).join(',')}`);
}

/** The registered results the playbook prints in its last task, without Ansible's echo of the arguments. */
function results(r: Run): unknown {
  const section = parseSections(r.stdout).find((s) => s.banner === 'TASK [the results]');
  const line = section?.lines[0] ?? '';
  const json = line.slice(line.indexOf('=> ') + 3);
  try {
    return JSON.parse(json, (k, v) => (k === 'invocation' ? undefined : v));
  } catch {
    return `unparsable: ${line}`;
  }
}

interface Outcome {
  runs: Record<string, Run>;
  states: Record<string, string>;
}

async function exercise(tool: Tool): Promise<Outcome> {
  await labExec('master-0', CLEAN);
  const runs: Record<string, Run> = {};
  const states: Record<string, string> = {};
  runs.check = await run(tool, 'users.yml', ['--check', '--diff']);
  states.check = await hostState();
  runs.first = await run(tool, 'users.yml');
  states.first = await hostState();
  runs.second = await run(tool, 'users.yml');
  states.second = await hostState();
  runs.remove = await run(tool, 'users-remove.yml');
  states.remove = await hostState();
  await labExec('master-0', CLEAN);
  runs['hostname check'] = await run(tool, 'hostname.yml', ['--check']);
  states['hostname check'] = await hostState();
  runs.hostname = await run(tool, 'hostname.yml');
  states.hostname = await hostState();
  await labExec('master-0', RESTORE_HOSTNAME);
  return { runs, states };
}

const ansible = await exercise('ansible');
const tsplay = await exercise('tsplay');

for (const phase of ['check', 'first', 'second', 'remove', 'hostname check', 'hostname']) {
  t.test(`${phase} run`, async (t) => {
    const a = ansible.runs[phase];
    const b = tsplay.runs[phase];
    const detail = `\n--- ansible-playbook\n${a.stdout}${a.stderr}\n--- tsplay\n${b.stdout}${b.stderr}`;
    t.ok(Object.keys(parseRecap(a.stdout)).length > 0, 'ansible-playbook ran the host', { detail });
    t.same(parseRecap(b.stdout), parseRecap(a.stdout), 'same PLAY RECAP', { detail });
    t.equal(b.code, a.code, 'same exit code', { detail });
    t.same(statuses(b), statuses(a), 'same status for every task', { detail });
    t.same(results(b), results(a), 'same registered results', { detail });
    t.equal(tsplay.states[phase], ansible.states[phase], 'the same accounts on the host afterwards');
  });
}

t.test('the runs did what they say', async (t) => {
  const names = `${HOSTNAME}\n${HOSTNAME}\n`;
  t.equal(ansible.states.check, names, 'check mode made nothing');
  t.match(ansible.states.first, new RegExp(`^${names}${U}:x:23471:`), 'the user was made');
  t.equal(ansible.states.remove, names, 'the removal left nothing');
  t.equal(ansible.states.hostname, names, 'the host has its own name back');
  t.match(parseRecap(ansible.runs.hostname.stdout)['master-0'], { changed: 2 }, 'renamed, then named back');
});
