/**
 * `tsplay adhoc` beside Ansible's `ansible` on the same inventory: the same
 * host blocks (`h1 | SUCCESS => {...}`, `h1 | CHANGED | rc=0 >>`), in one-line
 * form too, the same warnings and the same exit codes; check mode writes
 * nothing and a real run writes the file.
 */
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ansibleEnv, buildCli, compatDir, exec, pool, removeBuild, scratchDir, type Run } from '../compat/helpers.js';

const four = 'inventories/four/hosts.ini';

interface Case {
  name: string;
  args: string[];
  /** Compare only these: the blocks of each host must match exactly unless 'exit'. */
  compare?: 'all' | 'exit';
  /** Text both tools must print (stdout or stderr). */
  both?: (string | RegExp)[];
  /** The run writes `file` under its own folder (given as -e dir=...). */
  writes?: string;
  writesNothing?: string;
}

const cases: Case[] = [
  { name: 'ping every host', args: ['all', '-i', four, '-m', 'ping'] },
  { name: 'ping with data, one line per host', args: ['web', '-i', four, '-m', 'ansible.builtin.ping', '-a', 'data=hello', '-o'] },
  {
    name: 'ping data=crash fails as a module that raised',
    args: ['h1', '-i', four, '-m', 'ping', '-a', 'data=crash'],
    compare: 'exit',
    both: ['An exception occurred during task execution. To see the full traceback, use -vvv. The error was: Exception: boom', 'h1 | FAILED! => {', '"msg": "MODULE FAILURE\\nSee stdout/stderr for the exact error"', '"rc": 1'],
  },
  { name: 'command output as text', args: ['db', '-i', four, '-a', 'echo hi'] },
  { name: 'command output on one line', args: ['db', '-i', four, '-m', 'command', '-a', 'echo hi', '-o'] },
  { name: 'a failed command: FAILED with its rc, exit 2', args: ['h1', '-i', four, '-m', 'shell', '-a', 'echo out; echo err >&2; exit 3'] },
  { name: 'a failed command on one line', args: ['h1', '-i', four, '-m', 'shell', '-a', 'echo out; echo err >&2; exit 3', '-o'] },
  { name: 'debug with extra vars and inventory vars', args: ['servers', '-i', four, '-m', 'debug', '-a', 'msg={{ level }}-{{ x }}', '-e', 'x=extra'] },
  { name: 'arguments as a JSON mapping', args: ['h2', '-i', four, '-m', 'debug', '-a', '{"msg": "from json"}'] },
  { name: 'fail: FAILED!, exit 2', args: ['h1', '-i', four, '-m', 'fail', '-a', 'msg=stop'] },
  { name: 'no host matches: two warnings, exit 0', args: ['nosuch', '-i', four, '-m', 'ping'], compare: 'exit', both: ['[WARNING]: Could not match supplied host pattern, ignoring: nosuch', '[WARNING]: No hosts matched, nothing to do'] },
  { name: 'command without arguments: exit 5', args: ['h1', '-i', four], compare: 'exit', both: ['No argument passed to command module'] },
  { name: 'a --limit that leaves no host: an error, exit 1', args: ['web', '-i', four, '-m', 'ping', '--limit', 'db'], compare: 'exit', both: ['Specified inventory, host pattern and/or --limit leaves us with no hosts to target.'] },
  { name: 'no inventory: the implicit localhost', args: ['localhost', '-m', 'ping', '-c', 'local'], compare: 'exit', both: ['localhost | SUCCESS => {', '"ping": "pong"'] },
  { name: '--limit narrows the pattern', args: ['all', '-i', four, '-m', 'ping', '--limit', 'h3,h4', '-o'] },
  { name: 'copy in check mode: CHANGED, nothing written', args: ['h1', '-i', four, '-m', 'copy', '-a', 'content=x dest={{ dir }}/out.txt', '--check'], compare: 'exit', both: ['h1 | CHANGED => {'], writesNothing: 'out.txt' },
  { name: 'copy for real writes the file', args: ['h1', '-i', four, '-m', 'copy', '-a', 'content=written dest={{ dir }}/out.txt'], compare: 'exit', both: ['h1 | CHANGED => {'], writes: 'out.txt' },
];

/** Each host's block of output (`h | ...` and the lines under it), sorted by host: hosts finish in any order. */
function blocks(stdout: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    if (/^\S+ \| [A-Z]+/.test(line) || /^An exception occurred/.test(line)) out.push(line);
    else if (out.length && line !== '') out[out.length - 1] += '\n' + line;
  }
  // Times differ from run to run.
  return out.filter((b) => !b.startsWith('An exception')).map((b) => b.replace(/"(start|end|delta)": "[^"]*"/g, '"$1": "<time>"')).sort();
}

interface Outcome {
  ansible: Run;
  tsplay: Run;
  dirs: { ansible: string; tsplay: string };
}

let cli = '';
const outcomes = new Map<string, Outcome>();

t.before(async () => {
  cli = buildCli('adhoc');
  await pool(cases, 2, async (c) => {
    const scratch = scratchDir('tsplay-adhoc-');
    const dirs = { ansible: path.join(scratch, 'a'), tsplay: path.join(scratch, 't') };
    const args = (d: string) => [...c.args, '-e', `dir=${d}`];
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dirs.ansible);
    mkdirSync(dirs.tsplay);
    const [ansible, tsplay] = await Promise.all([
      exec('ansible', args(dirs.ansible), { cwd: compatDir, env: ansibleEnv }),
      exec(process.execPath, [cli, 'adhoc', ...args(dirs.tsplay)], { cwd: compatDir, env: { ...process.env, CI: '1', NO_COLOR: '1' } }),
    ]);
    outcomes.set(c.name, { ansible, tsplay, dirs });
  });
});

t.teardown(() => {
  if (cli) removeBuild(cli);
});

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcomes.get(c.name);
    if (!o) throw new Error(`case ${c.name} did not run`);
    const detail = `\n--- ansible\n${o.ansible.stdout}${o.ansible.stderr}\n--- tsplay\n${o.tsplay.stdout}${o.tsplay.stderr}`;
    t.equal(o.tsplay.code, o.ansible.code, `exit code ${o.ansible.code}, as ansible`, { detail });
    if (c.compare !== 'exit') {
      t.ok(blocks(o.ansible.stdout).length > 0, 'ansible printed host results', { detail });
      t.same(blocks(o.tsplay.stdout), blocks(o.ansible.stdout), 'the same host results', { detail });
    }
    for (const s of c.both ?? []) {
      t.match(o.ansible.stdout + o.ansible.stderr, s, `ansible prints ${s}`);
      t.match(o.tsplay.stdout + o.tsplay.stderr, s, `tsplay prints ${s}`);
    }
    t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
    if (c.writesNothing) {
      t.notOk(existsSync(path.join(o.dirs.tsplay, c.writesNothing)), 'tsplay wrote nothing');
      t.notOk(existsSync(path.join(o.dirs.ansible, c.writesNothing)), 'ansible wrote nothing');
    }
    if (c.writes) {
      t.equal(readFileSync(path.join(o.dirs.tsplay, c.writes), 'utf8'), readFileSync(path.join(o.dirs.ansible, c.writes), 'utf8'), 'the same file written');
    }
  });
}
