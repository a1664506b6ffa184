/**
 * wait_for_connection and meta: reset_connection against the real test sshd.
 * A host whose sshd stops and starts again about 3 s later is waited for, and
 * the task after it runs on a new connection to the new server; a host whose
 * sshd never comes back fails after `timeout` with Ansible's message; `delay`
 * shows in `elapsed`; an unknown option fails with Ansible's words;
 * reset_connection closes the old connection (its session shell ends) and the
 * next task opens a new one.
 *
 * The playbook tells the test when the hosts have been reached (a file on the
 * controller) and waits for the test to say the servers are stopped (another
 * file), so the stop falls between tasks whatever the machine's load.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { plainReporter } from '../../lib/output/plain.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, TEST_USER, type Sshd } from '../helpers/sshd.js';

ensureTestUsers();
const dir = tempDir('wait-for-connection');
const key = makeKey(dir, 'id_ed25519');
// Host keys of our own, outlive each server: the restarted sshd is the same host to the client.
const hostKeys = join(dir, 'hostkeys');
mkdirSync(hostKeys, { mode: 0o700 });
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'wfc-host', '-f', join(hostKeys, 'ssh_host_ed25519_key')]);

const serverOptions = (address: string, port?: number) => ({ address, port, hostKeyDir: hostKeys, authorized: { [TEST_USER]: [key.line] } });
const servers: Sshd[] = [];
async function start(address: string, port?: number): Promise<Sshd> {
  const s = await startSshd(serverOptions(address, port));
  servers.push(s);
  return s;
}
t.teardown(() => Promise.all(servers.map((s) => s.stop())));

const back = await start('127.0.20.131');
const gone = await start('127.0.20.132');
const knownHosts = join(dir, 'known_hosts');
writeFileSync(knownHosts, [...back.knownHostsLines(), ...gone.knownHostsLines()].join('\n') + '\n');

const hostLine = (name: string, s: Sshd, extra: string) =>
  `${name} ansible_host=${s.address} ansible_port=${s.port} ansible_user=${TEST_USER} ansible_ssh_private_key_file=${key.private} ` +
  `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts}' ${extra}`;
const inventory = join(dir, 'hosts');
writeFileSync(inventory, `${hostLine('back', back, 'wait_timeout=120')}\n${hostLine('gone', gone, 'wait_timeout=4')}\n`);

async function play(name: string, tasks: string): Promise<{ out: string; exitCode: number }> {
  const pb = join(dir, `${name}.yml`);
  writeFileSync(pb, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
  let out = '';
  const r = await runPlaybook({ playbooks: [pb], inventory: [inventory], reporters: [plainReporter({ write: (s) => (out += s), verbosity: 0, diff: false, color: false })] });
  return { out, exitCode: r.exitCode };
}

/** Polls a real condition, bounded far above what a loaded machine needs. */
async function until(what: string, ok: () => boolean, boundMs = 120_000): Promise<void> {
  const end = Date.now() + boundMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const results = (host: string) => JSON.parse(readFileSync(join(dir, `result-${host}.json`), 'utf8')) as Record<string, Record<string, unknown>>;
/** SSH_CONNECTION's client port: which TCP connection a command came over. */
const clientPort = (r: Record<string, unknown>) => String(r.stdout).split(' ')[1];

t.test('a host whose sshd restarts is waited for; one that never comes back fails after timeout', async (t) => {
  const run = play(
    'restart',
    `    - name: before
      shell: echo "$SSH_CONNECTION"
      register: before
    - name: tell the controller the hosts were reached
      file: { path: "${dir}/reached-{{ inventory_hostname }}", state: touch }
      delegate_to: localhost
    - name: until the controller has stopped the servers
      wait_for: { path: "${dir}/stopped", timeout: 300 }
      delegate_to: localhost
    - name: wait for the host
      wait_for_connection: { sleep: 1, timeout: "{{ wait_timeout }}", connect_timeout: 20 }
      register: waited
      ignore_errors: true
    - name: after
      shell: echo "$SSH_CONNECTION"
      register: after
      when: waited is succeeded
    - name: with a delay
      wait_for_connection: { delay: 2 }
      register: delayed
      when: waited is succeeded
    - name: an unknown option
      wait_for_connection: { foo: bar }
      register: invalid
      ignore_errors: true
      when: waited is succeeded
    - name: keep the results
      copy:
        content: "{{ {'before': before, 'waited': waited, 'after': after, 'delayed': delayed, 'invalid': invalid} | to_json }}"
        dest: "${dir}/result-{{ inventory_hostname }}.json"
      delegate_to: localhost
`,
  );
  await until('both hosts reached', () => existsSync(join(dir, 'reached-back')) && existsSync(join(dir, 'reached-gone')));
  await Promise.all([back.stop(), gone.stop()]);
  writeFileSync(join(dir, 'stopped'), '');
  let restarted: Promise<Sshd> | undefined;
  const timer = setTimeout(() => (restarted = start(back.address, back.port)), 3000);
  t.teardown(() => clearTimeout(timer));
  const r = await run;
  t.ok(restarted, 'the server was restarted during the run', { detail: r.out });
  const again = await restarted!;

  t.equal(r.exitCode, 0, 'the run succeeds (the lost host is ignored)', { detail: r.out });
  const b = results('back');
  t.equal(b.waited.failed, false, 'back: waited for', { detail: b.waited });
  t.type(b.waited.elapsed, 'number', 'elapsed is a number of seconds');
  t.equal(b.waited.changed, false, 'nothing changed');
  t.not(clientPort(b.after), clientPort(b.before), 'the task after it ran on a new connection');
  t.match(again.log(), new RegExp(`Connection from \\S+ port ${clientPort(b.after)} on ${again.address.replace(/\./g, '\\.')}`), 'to the restarted server');
  t.ok((b.delayed.elapsed as number) >= 2, `delay is counted in elapsed (${b.delayed.elapsed})`);
  t.equal(b.invalid.failed, true);
  t.equal(b.invalid.msg, 'Invalid options for wait_for_connection: foo', "an unknown option fails with Ansible's message");

  const g = results('gone');
  t.equal(g.waited.failed, true, 'gone: fails');
  t.match(String(g.waited.msg), /^timed out waiting for ping module test: \S/, "with Ansible's message and the reason", { detail: g.waited });
  t.ok((g.waited.elapsed as number) >= 4, `after the timeout (elapsed ${g.waited.elapsed})`);
  t.equal(g.after.skipped, true, 'the tasks after it did not run there');
  t.match(r.out, /gone\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0\s+skipped=\d+\s+rescued=0\s+ignored=1/, 'the failure is ignored, the host never counted unreachable');
});

/**
 * The command's ancestors on the host: the sshd process that serves its TCP
 * connection ("sshd: user@notty") and the session shell's loop, if any.
 */
const ANCESTORS = `
        p=$$; conn=none; loop=none
        while [ "$p" -gt 1 ]; do
          args=$(tr '\\0' ' ' < /proc/$p/cmdline)
          case $args in *__tsplay_p*) loop=$p ;; "sshd: "*) conn=$p; break ;; esac
          p=$(awk '{ print $4 }' /proc/$p/stat)
        done
        echo "$SSH_CONNECTION $conn $loop"`;

t.test('meta: reset_connection closes the connection and its session shell; the next task opens a new one', async (t) => {
  await until('the restarted server', () => servers.length === 3);
  const again = servers[2];
  writeFileSync(inventory, `${hostLine('back', again, '')}\n`);
  const r = await play(
    'reset',
    `    - name: one
      shell: |${ANCESTORS}
      register: one
    - meta: reset_connection
    - name: the old connection's sshd process and session shell have ended
      shell: "kill -0 {{ one.stdout.split()[4] }} 2>/dev/null || kill -0 {{ one.stdout.split()[5] }} 2>/dev/null"
      register: old
      until: old.rc != 0
      retries: 600
      delay: 0.2
      failed_when: old.rc == 0
    - name: two
      shell: |${ANCESTORS}
      register: two
    - copy:
        content: "{{ {'one': one, 'two': two} | to_json }}"
        dest: "${dir}/result-reset.json"
      delegate_to: localhost
`,
  );
  t.equal(r.exitCode, 0, 'the old connection and its session shell ended', { detail: r.out });
  const res = results('reset');
  const [one, two] = [res.one, res.two].map((x) => String(x.stdout).trim().split(' '));
  t.match(one[4], /^\d+$/, 'the first command came through a connection sshd serves', { detail: res.one });
  t.match(one[5], /^\d+$/, 'in the session shell');
  t.not(two[1], one[1], 'the task after reset_connection came over a new TCP connection');
  t.not(two[4], one[4], 'served by a new sshd process');
  t.match(two[5], /^\d+$/, 'in a session shell');
  t.not(two[5], one[5], 'a new one');
});
