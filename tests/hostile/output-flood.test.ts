/**
 * A host that prints without end, or prints hundreds of megabytes, leaves
 * the controller's memory bounded: a result keeps the first
 * TSPLAY_OUTPUT_LIMIT bytes of each stream (default 8 MiB), stdout_lines
 * agrees with the stdout kept, the result says how much was dropped, a
 * warning names the task and the host, and the task still ends (the command
 * ends, or its `timeout:` ends it). Over SSH (the session shell and a
 * channel of its own) and on -c local, against the real test sshd.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { plainReporter } from '../../lib/output/plain.js';
import { DEFAULT_OUTPUT_LIMIT, outputLimit, parseSize, StreamCap } from '../../lib/connection/output-cap.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, TEST_USER } from '../helpers/sshd.js';

ensureTestUsers();
const dir = tempDir('output-flood');
const key = makeKey(dir, 'id_ed25519');
const knownHosts = join(dir, 'known_hosts');
const sshd = await startSshd({ address: '127.0.20.60', authorized: { [TEST_USER]: [key.line] } });
writeFileSync(knownHosts, sshd.knownHostsLines().join('\n') + '\n');
t.teardown(() => sshd.stop());

const inventory = join(dir, 'hosts');
writeFileSync(
  inventory,
  `remote ansible_host=127.0.20.60 ansible_port=${sshd.port} ansible_user=${TEST_USER} ansible_ssh_private_key_file=${key.private} ` +
    `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts}'\nlocal ansible_connection=local\n`,
);

/** Runs a play on one host while sampling the controller's memory; returns the output and the peak growth in bytes. */
async function flood(host: string, task: string) {
  const pb = join(dir, `${host}-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(
    pb,
    `- hosts: ${host}\n  gather_facts: false\n  tasks:\n${task}` +
      `    - debug:\n        msg: "kept={{ r.stdout | length }} lines={{ r.stdout_lines | length }} first={{ r.stdout_lines[0] | length }} dropped={{ (r.truncated | default({'stdout': 0})).stdout }} rc={{ r.rc }}"\n`,
  );
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let out = '';
  try {
    const result = await runPlaybook({
      playbooks: [pb],
      inventory: [inventory],
      reporters: [plainReporter({ write: (s) => (out += s), verbosity: 0, diff: false, color: false })],
    });
    return { out, exitCode: result.exitCode, warnings: result.warnings, growth: peak - base };
  } finally {
    clearInterval(sampler);
  }
}

/** Far above what 8 MiB kept per stream costs, far below what keeping the flood would. */
const GROWTH_BOUND = 400 * 2 ** 20;
const MB = 2 ** 20;

for (const host of ['remote', 'local']) {
  t.test(`${host}: 512 MB of stdout in one line keeps the first 8 MiB`, async (t) => {
    // No timeout: over SSH this runs in the session shell.
    const r = await flood(host, `    - name: print a lot\n      shell: head -c ${512 * MB} /dev/zero | tr '\\0' x\n      register: r\n`);
    t.equal(r.exitCode, 0, 'the run succeeds', { detail: r.out });
    t.match(r.out, `kept=${DEFAULT_OUTPUT_LIMIT} lines=1 first=${DEFAULT_OUTPUT_LIMIT} dropped=${512 * MB - DEFAULT_OUTPUT_LIMIT} rc=0`, 'stdout, stdout_lines and truncated agree');
    t.match(r.warnings.join('\n'), new RegExp(`${host}: task 'print a lot': stdout was cut at ${DEFAULT_OUTPUT_LIMIT} bytes`), 'a warning names the host and the task');
    t.ok(r.growth < GROWTH_BOUND, `the controller's memory grew ${Math.round(r.growth / MB)} MB, under ${GROWTH_BOUND / MB} MB`);
  });

  t.test(`${host}: an endless stdout (yes) ends with the command or its task's timeout, memory bounded`, async (t) => {
    // The first ends on the host after 5 s (over SSH, in the session shell); the second
    // never ends and the task's timeout stops it (over SSH, on a channel of its own).
    const r = await flood(
      host,
      `    - name: yes forever\n      shell: yes | tr -d '\\n'\n      timeout: 6\n      ignore_errors: true\n` +
        `    - name: yes for 5 s\n      shell: timeout 5 yes | tr -d '\\n'\n      register: r\n`,
    );
    t.match(r.out, /the task 'yes forever' timed out after 6 s and was stopped/, 'the endless command is ended by the timeout', { detail: r.out });
    t.match(r.out, new RegExp(`kept=${DEFAULT_OUTPUT_LIMIT} lines=1 first=${DEFAULT_OUTPUT_LIMIT} dropped=\\d+ rc=0`), 'the first 8 MiB are kept, the rest counted');
    t.equal(r.exitCode, 0, 'the run ends well');
    t.ok(r.growth < GROWTH_BOUND, `the controller's memory grew ${Math.round(r.growth / MB)} MB, under ${GROWTH_BOUND / MB} MB`);
  });

  t.test(`${host}: many lines on stderr, limit from TSPLAY_OUTPUT_LIMIT`, async (t) => {
    process.env.TSPLAY_OUTPUT_LIMIT = '1k';
    t.teardown(() => delete process.env.TSPLAY_OUTPUT_LIMIT);
    const r = await flood(
      host,
      `    - name: both streams\n      shell: seq 1 200000 >&2; seq 1 5\n      register: r\n    - debug:\n        msg: "err={{ r.stderr | length }} errlines={{ r.stderr_lines | length }} last={{ r.stderr_lines[-1] }} errdropped={{ r.truncated.stderr }} out={{ r.stdout_lines }}"\n`,
    );
    // seq 1 200000 prints 1288895 bytes; 1024 kept: lines 1..288 whole and 2 characters of 289? no: count by content.
    const all = Array.from({ length: 200000 }, (_, i) => `${i + 1}\n`).join('');
    const kept = all.slice(0, 1024);
    const keptLines = kept.replace(/\n+$/, '').split('\n');
    t.match(r.out, `err=${kept.replace(/\n+$/, '').length} errlines=${keptLines.length} last=${keptLines[keptLines.length - 1]} errdropped=${all.length - 1024}`, 'stderr kept to 1 KiB');
    t.match(r.out, /out=\['1', '2', '3', '4', '5'\]/, 'stdout under the limit is whole');
    t.match(r.warnings.join('\n'), /stderr was cut at 1024 bytes/, 'the warning names stderr');
    t.notMatch(r.warnings.join('\n'), /stdout was cut/, 'and not stdout');
  });
}

t.test('remote: a process left printing in the background between commands keeps memory bounded', async (t) => {
  // The first command returns at once and leaves 300 MB of output coming on the session shell's stdout.
  const r = await flood(
    'remote',
    `    - name: leave a printer behind\n      shell: (head -c ${300 * MB} /dev/zero | tr '\\0' x &) ; echo started\n` +
      `    - name: wait for it\n      shell: sleep 5; echo done\n      register: r\n`,
  );
  t.equal(r.exitCode, 0, 'the run ends well', { detail: r.out.slice(0, 2000) });
  t.match(r.out, /kept=\d+ lines=\d+/, 'the later command has its result');
  t.ok(r.growth < GROWTH_BOUND, `the controller's memory grew ${Math.round(r.growth / MB)} MB, under ${GROWTH_BOUND / MB} MB`);
});

t.test('remote: output a background process prints right after a command\'s end mark does not hide the mark', async (t) => {
  // A printer left running writes as fast as it can, without newlines, while the next commands end:
  // their end marks come mid-chunk, between its bytes, never at a chunk's end.
  const r = await flood(
    'remote',
    `    - name: leave a fast printer behind for 2 s\n      shell: (timeout 2 sh -c 'while :; do printf %0200d 0; done' &) ; echo started\n` +
      `    - name: end while it prints\n      shell: echo done\n      register: first\n` +
      `    - name: and again\n      shell: echo after\n      register: second\n` +
      `    - name: once it stopped\n      shell: sleep 3; echo quiet\n      register: r\n` +
      `    - debug:\n        msg: "rc={{ first.rc }}{{ second.rc }}{{ r.rc }}"\n`,
  );
  t.equal(r.exitCode, 0, 'the run ends, and well', { detail: r.out.slice(0, 2000) });
  t.match(r.out, /rc=000/, 'each command ends, with its own exit code');
  t.ok(r.growth < GROWTH_BOUND, `the controller's memory grew ${Math.round(r.growth / MB)} MB, under ${GROWTH_BOUND / MB} MB`);
});

t.test('the limit as users write it', async (t) => {
  t.equal(parseSize('8M', 'x'), 8 * MB);
  t.equal(parseSize('512k', 'x'), 512 * 1024);
  t.equal(parseSize('1048576', 'x'), MB);
  t.equal(parseSize('1G', 'x'), 2 ** 30);
  for (const bad of ['', '0', '-1', '1.5M', '8 MiB', 'lots']) t.throws(() => parseSize(bad, '--output-limit'), /--output-limit must be a size in bytes/, `'${bad}' is refused`);
  t.equal(outputLimit({}), DEFAULT_OUTPUT_LIMIT, 'the default');
  t.equal(outputLimit({ TSPLAY_OUTPUT_LIMIT: '2m' }), 2 * MB, 'from the environment');
  const cap = new StreamCap(10);
  t.equal(cap.take(Buffer.from('abcdef')).toString(), 'abcdef');
  t.equal(cap.take(Buffer.from('ghijkl')).toString(), 'ghij', 'cut inside a chunk');
  t.equal(cap.take(Buffer.from('mn')).length, 0, 'nothing more is kept');
  t.same([cap.kept, cap.dropped], [10, 4]);
});
