/**
 * Hosts that cannot be reached or go away: each rejects with
 * UnreachableError and a reason, quickly, and stays failed.
 */
import t from 'tap';
import { createServer, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnection } from '../../lib/connection/ssh/connection.js';
import { sshSettingsFromVars } from '../../lib/connection/ssh/options.js';
import { reasonFor } from '../../lib/connection/ssh/errors.js';
import { UnreachableError } from '../../lib/connection/types.js';
import { ensureTestUsers, freePort, makeKey, startSshd, tempDir, TEST_USER } from '../helpers/sshd.js';

ensureTestUsers();
const dir = tempDir('failures');
const key = makeKey(dir, 'id_ed25519');
const knownHosts = join(dir, 'known_hosts');
writeFileSync(knownHosts, '');

function connect(address: string, port: number, extra: Record<string, unknown> = {}, run = {}): SshConnection {
  const s = sshSettingsFromVars(
    'db1',
    {
      ansible_host: address,
      ansible_port: port,
      ansible_user: TEST_USER,
      ansible_ssh_private_key_file: key.private,
      ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
      ...extra,
    },
    run,
  );
  s.agent = undefined;
  return new SshConnection('db1', s);
}

t.test('connection refused (closed port)', async (t) => {
  const port = await freePort('127.0.20.5');
  const c = connect('127.0.20.5', port);
  const start = Date.now();
  const err = await c.exec('true').catch((e) => e);
  t.ok(err instanceof UnreachableError);
  t.equal(err.reason, 'refused');
  t.equal(err.host, 'db1');
  t.match(err.message, `127.0.20.5:${port}`);
  // A refusal is final: no retry loop (the connect timeout is 10 s).
  t.ok(Date.now() - start < 9000);
});

t.test('a host that accepts TCP but never speaks: timeout after the configured connect timeout', async (t) => {
  const held: Socket[] = [];
  const server = createServer((s) => held.push(s)); // accept, then say nothing
  const port = await freePort('127.0.20.6');
  await new Promise<void>((r) => server.listen(port, '127.0.20.6', r));
  t.teardown(() => {
    held.forEach((s) => s.destroy());
    server.close();
  });
  for (const how of ['run option', 'ConnectTimeout'] as const) {
    const c =
      how === 'run option'
        ? connect('127.0.20.6', port, {}, { connectTimeoutMs: 700 })
        : connect('127.0.20.6', port, { ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts} -o ConnectTimeout=1` });
    const start = Date.now();
    const err = await c.connect().catch((e) => e);
    const ms = Date.now() - start;
    t.equal(err.reason, 'timeout', how);
    t.match(err.message, /timed out/);
    // The configured timeout (0.7 s, 1 s), not the 10 s default.
    t.ok(ms >= 600 && ms < 9000, `${how}: gave up after ${ms} ms`);
  }
});

t.test('a server killed mid-command: dropped, fast, and later calls fail at once', async (t) => {
  const sshd = await startSshd({ address: '127.0.20.7', authorized: { [TEST_USER]: [key.line] } });
  t.teardown(() => sshd.stop());
  const kh = join(dir, 'kh-drop');
  writeFileSync(kh, sshd.knownHostsLines().join('\n') + '\n');
  const c = connect(sshd.address, sshd.port, { ansible_ssh_common_args: `-o UserKnownHostsFile=${kh}` });
  t.equal((await c.exec('echo up')).stdout, 'up\n');
  const running = c.exec('sleep 30');
  const reading = c.get('/dev/zero').catch((e) => e); // an SFTP transfer in flight too
  await new Promise((r) => setTimeout(r, 300));
  const start = Date.now();
  sshd.kill();
  const err = await running.catch((e) => e);
  t.ok(err instanceof UnreachableError, 'the running command rejects with UnreachableError');
  t.equal(err.reason, 'dropped');
  // Well before the 30 s the command would take.
  t.ok(Date.now() - start < 20_000, `noticed after ${Date.now() - start} ms`);
  t.equal((await reading).reason, 'dropped', 'so does the file transfer');
  const later = await c.exec('true').catch((e) => e);
  // 'dropped', not 'refused': the connection was not tried again.
  t.equal(later.reason, 'dropped', 'later calls fail without trying again');
  await c.close();
});

t.test('reasons for socket and ssh2 errors', async (t) => {
  const e = (props: Record<string, unknown>) => Object.assign(new Error('x'), props);
  t.equal(reasonFor(e({ code: 'ENOTFOUND' }), false), 'dns');
  t.equal(reasonFor(e({ code: 'EAI_AGAIN' }), false), 'dns');
  t.equal(reasonFor(e({ code: 'ECONNREFUSED' }), false), 'refused');
  t.equal(reasonFor(e({ level: 'client-timeout' }), false), 'timeout');
  t.equal(reasonFor(e({ level: 'client-authentication' }), false), 'auth');
  t.equal(reasonFor(e({ code: 'ECONNRESET' }), true), 'dropped');
  t.equal(reasonFor(e({ code: 'EHOSTUNREACH' }), false), 'other');
});

t.test('a server allowing fewer sessions than our limit: calls wait instead of failing', async (t) => {
  const sshd = await startSshd({ address: '127.0.20.10', authorized: { [TEST_USER]: [key.line] }, config: 'MaxSessions 3' });
  t.teardown(() => sshd.stop());
  const kh = join(dir, 'kh-max');
  writeFileSync(kh, sshd.knownHostsLines().join('\n') + '\n');
  const c = connect(sshd.address, sshd.port, { ansible_ssh_common_args: `-o UserKnownHostsFile=${kh}` });
  const r = await Promise.all(Array.from({ length: 12 }, (_, i) => c.exec(`sleep 0.1; echo ${i}`)));
  t.same(
    r.map((x) => Number(x.stdout)),
    Array.from({ length: 12 }, (_, i) => i),
  );
  await c.close();
});
