/**
 * What a person at the terminal meets: -vvv shows the connection and every
 * command (passwords masked, no_log commands hidden); the live view shows a
 * loop's progress and the command a host runs, and clears itself on Ctrl-C;
 * plain output can be forced; `tsplay doc` and a module's description agree
 * about check mode.
 */
import t from 'tap';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { main, type Io } from '../../lib/cli/main.js';
import { terminalFeatures } from '../../lib/cli/run-command.js';
import { commandSummary, createInkReporter } from '../../lib/output/ink/index.js';
import { project } from '../engine/helpers.js';

// ink never erases in CI; the live view is only used outside it.
for (const k of Object.keys(process.env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete process.env[k];

async function tsplay(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), isTTY: false };
  const code = await main(args, io);
  return { code, out, err };
}

class FakeTty extends EventEmitter {
  columns = 120;
  rows = 30;
  isTTY = true;
  written = '';
  write(s: string | Uint8Array, cb?: () => void): boolean {
    this.written += typeof s === 'string' ? s : Buffer.from(s).toString();
    if (typeof cb === 'function') cb();
    return true;
  }
}

const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(tty: FakeTty, want: RegExp): Promise<string> {
  for (let waited = 0; waited < 10_000 && !want.test(strip(tty.written)); waited += 50) await sleep(50);
  return strip(tty.written);
}

t.test('-vvv: the connection and every command, passwords masked, no_log commands hidden', async (t) => {
  const dir = project({
    hosts: 'a ansible_connection=local ansible_become_password=VVVPASSWORD1\n',
    'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: echo hello-vvv
    - command: echo NOLOGVVV2
      no_log: true
    - command: echo {{ ansible_become_password }}
`,
  });
  const r = await tsplay(['run', path.join(dir, 'site.yml'), '-i', path.join(dir, 'hosts'), '-vvv']);
  t.equal(r.code, 0, 'the run succeeds');
  t.match(r.out, /<a> ESTABLISH LOCAL CONNECTION FOR USER: \S+/, 'the connection, as Ansible shows it');
  t.match(r.out, /<a> EXEC [\s\S]*'hello-vvv'/, 'the command sent');
  t.match(r.out, '<a> EXEC (hidden: the task has no_log)', 'a no_log task: its command is not shown');
  t.notMatch(r.out + r.err, /NOLOGVVV2|VVVPASSWORD1/, 'no secret anywhere');
  t.match(r.out, "'********'", 'the password in a command is masked');
  const quiet = await tsplay(['run', path.join(dir, 'site.yml'), '-i', path.join(dir, 'hosts'), '-vv']);
  t.notMatch(quiet.out, '<a> EXEC', 'below -vvv no commands');
});

t.test('the live view: loop progress, the running command, cleared on Ctrl-C', async (t) => {
  const tty = new FakeTty();
  const view = createInkReporter({ stdout: tty as unknown as NodeJS.WriteStream, verbosity: 0, diff: false, color: false });
  view.reporter({ type: 'play_start', name: 'p', hosts: ['h1', 'h2'] });
  view.reporter({ type: 'task_start', name: 'Install', kind: 'task', module: 'command', hosts: ['h1', 'h2'] });
  view.reporter({ type: 'host_result', host: 'h1', status: 'ok', item: 'etcd', loop: { index: 2, length: 3 }, result: { changed: false }, verbose: false });
  view.reporter({ type: 'log', host: 'h2', message: "EXEC set --\nw=''; w=\"$w\"'systemctl'; set -- \"$@\" \"$w\"\nw=''; w=\"$w\"'restart'; set -- \"$@\" \"$w\"\nw=''; w=\"$w\"'etcd'; set -- \"$@\" \"$w\"\nexec \"$@\"", verbosity: 3 });
  const shown = await until(tty, /\$ systemctl restart etcd/);
  t.match(shown, /h1 .*item 2\/3 done item=etcd/, 'a loop: the items done');
  t.match(shown, /h2 .*\$ systemctl restart etcd/, 'the command a host runs');
  const before = tty.written.length;
  view.interrupt!();
  t.match(tty.written.slice(before), /\x1b\[2K/, 'Ctrl-C erases the live lines at once');
  await view.done();
  t.equal(commandSummary("echo '@@tsplay-1 0'\np=/x"), 'reading files and state', 'a batch of reads');
  t.equal(commandSummary('x'.repeat(100)).length, 60, 'a long command is cut');
});

t.test('plain output can be forced', async (t) => {
  const tty = { out: () => {}, err: () => {}, isTTY: true };
  t.same(terminalFeatures({}, tty, {}), { live: true, color: true }, 'a terminal: live view and colour');
  t.same(terminalFeatures({}, tty, { CI: 'false' }), { live: true, color: true }, 'CI=false is not CI');
  t.same(terminalFeatures({}, tty, { CI: 'true' }), { live: false, color: false }, 'CI');
  t.same(terminalFeatures({}, tty, { TERM: 'dumb' }), { live: false, color: false }, 'TERM=dumb');
  t.same(terminalFeatures({ 'no-color': true }, tty, {}), { live: false, color: false }, '--no-color');
  t.same(terminalFeatures({}, tty, { NO_COLOR: '1' }), { live: true, color: false }, 'NO_COLOR: no colour');
  t.same(terminalFeatures({}, { ...tty, isTTY: false }, {}), { live: false, color: false }, 'a pipe');
});

