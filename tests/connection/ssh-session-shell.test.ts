/**
 * The session shell (lib/connection/ssh/shell.ts) against a real sshd: plain
 * commands share one long-lived shell on one channel and behave as they do
 * on a channel of their own: output, exit codes, standard input, `$$`,
 * environment and working directory, parallel calls, and an abort that stops
 * the command on the host. The input of a command is data, never the next
 * command, however the command ends.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnection } from '../../lib/connection/ssh/connection.js';
import { SESSION_LOOP } from '../../lib/connection/ssh/shell.js';
import { writeRemoteFile } from '../../lib/connection/remote-file.js';
import { FileError } from '../../lib/connection/types.js';
import { sshSettingsFromVars } from '../../lib/connection/ssh/options.js';
import { countRoundTrips } from '../../bench/round-trip-counter.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, TEST_USER } from '../helpers/sshd.js';

ensureTestUsers();
const dir = tempDir('session-shell');
const key = makeKey(dir, 'id_ed25519');
const sshd = await startSshd({ address: '127.0.20.77', authorized: { [TEST_USER]: [key.line] } });
const knownHosts = join(dir, 'known_hosts');
writeFileSync(knownHosts, sshd.knownHostsLines().join('\n') + '\n');
t.teardown(() => sshd.stop());

function connect(extra: Record<string, unknown> = {}): SshConnection {
  const s = sshSettingsFromVars('node1', {
    ansible_host: sshd.address,
    ansible_port: sshd.port,
    ansible_user: TEST_USER,
    ansible_ssh_private_key_file: key.private,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
    ...extra,
  });
  s.agent = undefined;
  return new SshConnection('node1', s);
}

t.test('thirty commands take one channel; switched off, thirty', async (t) => {
  for (const [setting, channels] of [[undefined, 1], ['false', 30]] as const) {
    const c = connect(setting ? { tsplay_ssh_session_shell: setting } : {});
    const outs: string[] = [];
    const counts = await countRoundTrips(async () => {
      for (let i = 0; i < 30; i++) outs.push((await c.exec(`echo ${i}`)).stdout);
    });
    t.same(outs, Array.from({ length: 30 }, (_, i) => `${i}\n`));
    t.equal(counts.exec, channels, `session shell ${setting ?? 'on'}: ${channels} exec channel(s)`);
    await c.close();
  }
});

const conn = connect();
t.teardown(() => conn.close());

t.test('a command is read whole: multibyte text, backslashes, blank lines and trailing spaces', async (t) => {
  await conn.exec('true'); // the shell is up
  const text = 'héllo wörld \\ \\n\n\n  tail  ';
  const counts = await countRoundTrips(async () => {
    t.equal((await conn.exec(`printf '%s' '${text}'`)).stdout, text);
    t.equal((await conn.exec(`printf '%s' '${text}'`, { env: { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } })).stdout, text, 'in a UTF-8 locale too');
    const long = `echo ${'x'.repeat(100_000)}`;
    t.equal((await conn.exec(long)).stdout, `${'x'.repeat(100_000)}\n`, 'a long command');
  });
  t.equal(counts.exec, 0, 'all through the session shell');
});

t.test('output, exit codes and signals read as on a channel of their own', async (t) => {
  t.same(await conn.exec('printf "no newline"; printf "err" >&2'), { rc: 0, stdout: 'no newline', stderr: 'err' });
  t.same(await conn.exec('echo out; echo bad >&2; exit 3', { allowFailure: true }), { rc: 3, stdout: 'out\n', stderr: 'bad\n' });
  t.equal((await conn.exec('kill -TERM $$', { allowFailure: true })).rc, 143, '$$ is the command\'s own shell: a signal shows as 128+n');
  t.equal((await conn.exec('exit 7', { allowFailure: true })).rc, 7);
  t.equal((await conn.exec('echo $$')).stdout === (await conn.exec('echo $$')).stdout, false, 'each command has its own process');
  const big = await conn.exec('head -c 3000000 /dev/zero | tr "\\0" x');
  t.equal(big.stdout.length, 3_000_000, 'a large output arrives whole');
  t.equal((await conn.exec('cat', { stdin: '' })).stdout, '', 'empty standard input');
  const marks = await conn.exec(`printf '%s\\n' '__tsplay_ 0' '__tsplay_x_1 0'; echo after`);
  t.equal(marks.stdout, '__tsplay_ 0\n__tsplay_x_1 0\nafter\n', 'output that looks like a mark does not end the command');
  t.equal((await conn.exec('read -r x; echo "got:$x"')).stdout, 'got:\n', 'without input, a command reads end of file');
});

t.test('standard input arrives byte for byte, and the next command is not fed with it', async (t) => {
  const data = randomBytes(200_000);
  const r = await conn.exec('sha256sum | cut -c1-64', { stdin: data });
  t.equal(r.stdout.trim(), createHash('sha256').update(data).digest('hex'));
  const text = 'line one\nline two without newline';
  t.equal((await conn.exec('cat; echo "|"', { stdin: text })).stdout, `${text}|\n`);
  t.equal((await conn.exec('cat', { stdin: 'only this' })).stdout, 'only this');
  t.equal((await conn.exec('echo next')).stdout, 'next\n');
});

t.test('environment and working directory apply to that command only', async (t) => {
  t.equal((await conn.exec('echo "$GREETING"; pwd', { env: { GREETING: "it's here" }, cwd: '/tmp' })).stdout, "it's here\n/tmp\n");
  t.equal((await conn.exec('echo "[$GREETING]"; cd /; export X=1')).stdout, '[]\n');
  t.equal((await conn.exec('echo "[$X]"; pwd')).stdout, `[]\n/home/${TEST_USER}\n`, 'cd and export do not leak into the next command');
});

t.test('calls in parallel each get their own answer', async (t) => {
  const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => conn.exec(`sleep 0.0${i % 5}; echo ${i}; echo e${i} >&2`)));
  t.same(rs.map((r) => [r.stdout, r.stderr]), Array.from({ length: 12 }, (_, i) => [`${i}\n`, `e${i}\n`]));
});

/** The test sshd listens on loopback: its commands run on this machine, where pgrep sees them. */
function runningHere(tag: string): boolean {
  return spawnSync('pgrep', ['-f', `^${tag}`]).status === 0;
}

/** Polls `ready` every 50 ms; false when it is still not true after `boundMs`. */
async function until(ready: () => boolean, boundMs: number): Promise<boolean> {
  for (const deadline = Date.now() + boundMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    if (ready()) return true;
  }
  return ready();
}

t.test('an abort stops the command on the host at once; the shell goes on', async (t) => {
  const tag = `tsplay-abort-${process.pid}`;
  const ac = new AbortController();
  const started = conn.exec(`exec -a ${tag} sleep 60`, { signal: ac.signal });
  t.ok(await until(() => runningHere(tag), 60_000), 'the command runs on the host before the abort');
  ac.abort();
  const e = await started.catch((x: Error) => x);
  t.equal((e as Error).name, 'AbortError');
  let left = 'x';
  for (const deadline = Date.now() + 30_000; left && Date.now() < deadline; ) {
    left = (await conn.exec(`pgrep -f '^${tag}' || true`)).stdout.trim();
    if (left) await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(left, '', 'the remote command is gone');
  t.equal((await conn.exec('echo still here')).stdout, 'still here\n');
});

t.test('a timeout still kills the command (it takes a channel of its own)', async (t) => {
  const r = await conn.exec('sleep 30', { timeoutMs: 300, allowFailure: true });
  t.equal(r.rc, 124);
  t.match(r.stderr, /timed out after 300 ms/);
});

/** Input that would run `touch MARKER` if the loop ever read it as commands, forged headers and NULs included. */
function hostileInput(marker: string, size: number): Buffer {
  const cmd = `touch ${marker}\n`;
  const piece = Buffer.from(`__tsplay_forged_1 0 ${cmd.length}\n${cmd}__tsplay_forged_2 0\n${cmd}\0${cmd}`);
  return Buffer.concat(Array.from({ length: Math.ceil(size / piece.length) }, () => piece)).subarray(0, size);
}

async function exists(path: string): Promise<boolean> {
  return (await conn.exec(`test -e '${path}' && echo yes || echo no`)).stdout.trim() === 'yes';
}

t.test('input a command leaves unread is never run as a command', async (t) => {
  for (const [name, command] of [
    ['reads none and exits', 'exit 3'],
    ['reads 10 bytes and exits', 'head -c 10 >/dev/null; exit 3'],
    ['closes its input at once', 'exec 0<&-; exit 3'],
  ] as const) {
    const marker = `/tmp/tsplay-unread-${process.pid}-${name.replace(/\W/g, '')}`;
    const r = await conn.exec(command, { stdin: hostileInput(marker, 1_000_000), allowFailure: true });
    t.equal(r.rc, 3, `${name}: its own exit code`);
    t.equal((await conn.exec('echo next')).stdout, 'next\n', `${name}: the next command runs as sent`);
    t.equal(await exists(marker), false, `${name}: nothing in the input ran`);
  }
});

t.test('a file written to a missing folder: the content never runs, the next command does', async (t) => {
  const marker = `/tmp/tsplay-unread-${process.pid}-write`;
  await conn.exec('true'); // the shell is up: the write goes through it
  const e = await writeRemoteFile(conn, '/nonexistent-tsplay-dir/x', hostileInput(marker, 2_000_000)).catch((x: Error) => x);
  t.ok(e instanceof FileError && e.code === 'ENOENT', 'the write fails: no such directory');
  const counts = await countRoundTrips(async () => t.equal((await conn.exec('echo after')).stdout, 'after\n'));
  t.equal(counts.exec, 0, 'the shell goes on: the next command takes no channel');
  t.equal(await exists(marker), false, 'the content did not run');
});

t.test('an abort of a command with input: the command and all under it are gone, the input never runs', async (t) => {
  const tag = `tsplay-abort-in-${process.pid}`;
  const marker = `/tmp/tsplay-unread-${process.pid}-abort`;
  const ac = new AbortController();
  const started = conn.exec(`bash -c 'exec -a ${tag} sleep 60'; true`, { stdin: hostileInput(marker, 1_000_000), signal: ac.signal });
  t.ok(await until(() => runningHere(tag), 60_000), 'the command runs on the host before the abort');
  ac.abort();
  t.equal(((await started.catch((x: Error) => x)) as Error).name, 'AbortError');
  let left = 'x';
  for (const deadline = Date.now() + 30_000; left && Date.now() < deadline; ) {
    left = (await conn.exec(`pgrep -f '^${tag}' || true`)).stdout.trim();
    if (left) await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(left, '', 'the grandchild is gone too');
  t.equal((await conn.exec('echo still here')).stdout, 'still here\n');
  t.equal(await exists(marker), false, 'the input did not run');
});

t.test('a header without the shell\'s secret prefix ends the loop; nothing runs', async (t) => {
  const marker = `/tmp/tsplay-unread-${process.pid}-forged`;
  const cmd = `touch ${marker}`;
  for (const header of [`__tsplay_forged_1 0 ${cmd.length}`, `secret9 x ${cmd.length}`, `secret9 0 x`, `secret9 0`, `secret 0 ${cmd.length}`, `touch 0 ${cmd.length}`]) {
    const r = await conn.exec(SESSION_LOOP, { stdin: `secret\n${header}\n${cmd}`, allowFailure: true });
    t.equal(r.rc, 98, `${JSON.stringify(header)}: the loop exits`);
    t.notMatch(r.stdout, /secret/, 'and answers nothing');
  }
  t.equal(await exists(marker), false);
  const ok = await conn.exec(SESSION_LOOP, { stdin: `secret\nsecret1 0 8\necho ran`, allowFailure: true });
  t.match(ok.stdout, /^TSPLAY-SHELL-READY 1\nran\nsecret1 0\n$/, 'a header with the prefix runs');
});
