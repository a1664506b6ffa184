/**
 * The SSH connection against a real sshd: authentication, exec semantics,
 * SFTP, and that one TCP connection carries every call.
 */
import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, chownSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnection } from '../../lib/connection/ssh/connection.js';
import { createConnection } from '../../lib/connection/factory.js';
import { CommandError, UnreachableError } from '../../lib/connection/types.js';
import { makeKey, TEST_USER, TEST_PASSWORD, uidOf, gidOf } from '../helpers/sshd.js';
import { keyedSshd } from './helpers.js';

const ssh = await keyedSshd('core', '127.0.20.1', [TEST_USER]);
const { dir, sshd } = ssh;
const otherKey = makeKey(dir, 'id_other');
const vars = (extra: Record<string, unknown> = {}) => ssh.vars(TEST_USER, extra);
const connect = (extra: Record<string, unknown> = {}) => ssh.connect('node1', TEST_USER, extra);

const conn = connect();
t.teardown(() => conn.close());
const home = `/home/${TEST_USER}`;

t.test('key authentication, and the factory picks ssh', async (t) => {
  const c = createConnection('node1', vars(), {});
  t.ok(c instanceof SshConnection, 'ansible_connection unset means ssh');
  (c as SshConnection).settings.agent = undefined;
  const r = await c.exec('id -un');
  t.equal(r.stdout.trim(), TEST_USER);
  await c.close();
  await c.close(); // idempotent
  t.ok(createConnection('n', { ...vars(), ansible_connection: 'paramiko' }, {}) instanceof SshConnection);
});

t.test('password authentication', async (t) => {
  const c = connect({ ansible_ssh_private_key_file: join(dir, 'does-not-exist'), ansible_password: TEST_PASSWORD });
  t.equal((await c.exec('whoami')).stdout.trim(), TEST_USER);
  await c.close();
});

t.test('a key the server does not accept: unreachable, reason auth, names what was tried', async (t) => {
  const c = connect({ ansible_ssh_private_key_file: otherKey.private });
  const err = await c.exec('true').catch((e) => e);
  t.ok(err instanceof UnreachableError);
  t.equal(err.reason, 'auth');
  t.match(err.message, /authentication failed as 'tsplaytest'/);
  t.match(err.message, `publickey ${otherKey.private}`);
  t.match(err.message, /server accepts: publickey,password/);
  // No reconnect storm: the next call fails at once with the same error.
  const before = sshd.connectionCount();
  const again = await c.exec('true').catch((e) => e);
  t.equal(again, err);
  t.equal(sshd.connectionCount(), before);
  await c.close();
});

t.test('wrong password', async (t) => {
  const c = connect({ ansible_ssh_private_key_file: join(dir, 'nope'), ansible_password: 'wrong' });
  const err = await c.connect().catch((e) => e);
  t.equal(err.reason, 'auth');
  t.match(err.message, /tried: password/);
});

t.test('exec: rc, stdout, stderr, and CommandError', async (t) => {
  const r = await conn.exec('echo out; echo err >&2; exit 0');
  t.same(r, { rc: 0, stdout: 'out\n', stderr: 'err\n' });
  const err = await conn.exec('echo partial; echo bad >&2; exit 3').catch((e) => e);
  t.ok(err instanceof CommandError);
  t.equal(err.rc, 3);
  t.equal(err.stdout, 'partial\n');
  t.equal(err.stderr, 'bad\n');
  const allowed = await conn.exec('exit 7', { allowFailure: true });
  t.equal(allowed.rc, 7);
  const killed = await conn.exec('kill -TERM $$', { allowFailure: true });
  t.equal(killed.rc, 128 + 15, 'a signal shows as 128+n, like a shell');
});

t.test('exec: environment, cwd and stdin', async (t) => {
  const hostile = `it's "quoted" $(echo no) \`echo no\` ; rm -rf /nothing\nline2`;
  const r = await conn.exec('printf %s "$GREETING"', { env: { GREETING: hostile } });
  t.equal(r.stdout, hostile, 'env values arrive byte for byte');
  t.equal((await conn.exec('pwd', { cwd: '/tmp' })).stdout, '/tmp\n');
  const missing = await conn.exec('pwd', { cwd: '/does/not/exist', allowFailure: true });
  t.not(missing.rc, 0, 'a missing cwd fails instead of running elsewhere');
  const input = randomBytes(100_000).toString('base64');
  t.equal((await conn.exec('cat', { stdin: input })).stdout, input);
  t.equal((await conn.exec('wc -c', { stdin: Buffer.alloc(0) })).stdout.trim(), '0', 'stdin is closed when empty');
  await t.rejects(conn.exec('true', { env: { 'BAD NAME': 'x' } }), /invalid environment variable name/);
});

t.test('exec: timeoutMs kills the command', async (t) => {
  const start = Date.now();
  const r = await conn.exec('sleep 30; echo never', { timeoutMs: 300, allowFailure: true });
  // Well before the 30 s the command would take: the timeout, not the command, ended it.
  t.ok(Date.now() - start < 20_000, `returned after ${Date.now() - start} ms`);
  t.equal(r.rc, 124);
  t.match(r.stderr, /timed out after 300 ms/);
  const err = await conn.exec('sleep 30', { timeoutMs: 200 }).catch((e) => e);
  t.ok(err instanceof CommandError);
  t.equal((await conn.exec('echo still fine')).stdout, 'still fine\n', 'the connection survives');
});

t.test('20 parallel execs share one TCP connection', async (t) => {
  const c = connect();
  const before = sshd.connectionCount();
  // Several connect() calls at once share one attempt.
  await Promise.all([c.connect(), c.connect(), c.connect()]);
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.exec(`sleep 0.2; echo ${i}`)));
  t.same(
    results.map((r) => r.stdout.trim()),
    Array.from({ length: 20 }, (_, i) => String(i)),
  );
  // One SFTP session beside the exec channels, still the same connection.
  await Promise.all([c.put(`${home}/par-test`, 'x'), c.exec('true'), c.stat('/tmp')]);
  t.equal(sshd.connectionCount() - before, 1, 'sshd accepted exactly one connection');
  await c.close();
});

t.test('SFTP: binary round trip of 1 MiB, checksums equal', async (t) => {
  const data = randomBytes(1024 * 1024);
  const path = `${home}/blob.bin`;
  await conn.put(path, data, { mode: 0o640 });
  const back = await conn.get(path);
  t.ok(back.equals(data), 'same bytes back');
  const local = createHash('sha256').update(data).digest('hex');
  t.equal(await conn.sha256(path), local, 'remote sha256sum agrees');
  t.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), local, 'the file on disk agrees');
  t.equal(statSync(path).mode & 0o777, 0o640);
  t.equal(await conn.sha256(`${home}/missing`), null);
  const err = await conn.get(`${home}/missing`).catch((e) => e);
  t.equal(err.code, 'ENOENT');
  t.match(String(await conn.get('/proc/self/status')), /^Name:\t.+\n[^]*^VmRSS:\s+\d+ kB$/m, 'files that report size 0 are read to the end');
  await conn.put(`${home}/empty`, '');
  t.equal((await conn.get(`${home}/empty`)).length, 0);
});

t.test('stat, chmod, chown, rename', async (t) => {
  const a = `${home}/a.txt`;
  const b = `${home}/b.txt`;
  await conn.put(a, 'hello\n');
  await conn.put(b, 'old\n');
  t.equal(await conn.stat(`${home}/nothing`), null);
  const s = await conn.stat(a);
  t.match(s, { isFile: true, isDirectory: false, isSymlink: false, size: 6, uid: uidOf(TEST_USER), gid: gidOf(TEST_USER) });
  t.ok(Math.abs(s!.mtimeMs - Date.now()) < 60_000);
  await conn.chmod(a, 0o600);
  t.equal((await conn.stat(a))!.mode, 0o600);
  await conn.chown(a, uidOf(TEST_USER), gidOf(TEST_USER));
  const denied = await conn.chown(a, 0, 0).catch((e) => e);
  t.equal(denied.code, 'EACCES', 'chown to root as a plain user is refused');
  await conn.rename(a, b);
  t.equal((await conn.get(b)).toString(), 'hello\n', 'rename replaces an existing file');
  t.equal(await conn.stat(a), null);
  await conn.exec(`ln -sf b.txt ${home}/link`);
  t.match(await conn.stat(`${home}/link`), { isSymlink: true }, 'a final symlink is not followed');
  t.match(await conn.stat(home), { isDirectory: true });
});

t.test('put refuses nothing it should do: creates files in a fresh directory', async (t) => {
  const d = `${home}/sub`;
  mkdirSync(d, { recursive: true });
  chownSync(d, uidOf(TEST_USER), gidOf(TEST_USER));
  chmodSync(d, 0o755);
  await conn.put(`${d}/f`, Buffer.from([0, 1, 2, 255]));
  t.same([...(await conn.get(`${d}/f`))], [0, 1, 2, 255]);
});

t.test('calls after close reject', async (t) => {
  const c = connect();
  await c.exec('true');
  await c.close();
  await t.rejects(c.exec('true'), /closed/);
});
