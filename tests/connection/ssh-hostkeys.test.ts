/**
 * Host key checking against a real sshd with ed25519, rsa and ecdsa host keys.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnection } from '../../lib/connection/ssh/connection.js';
import { sshSettingsFromVars } from '../../lib/connection/ssh/options.js';
import { fingerprint, hostKeyName, hostsFieldMatches, parseKnownHosts } from '../../lib/connection/ssh/known-hosts.js';
import { UnreachableError } from '../../lib/connection/types.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, TEST_USER } from '../helpers/sshd.js';

ensureTestUsers();
const dir = tempDir('hostkeys');
const key = makeKey(dir, 'id_ed25519');
const sshd = await startSshd({ address: '127.0.20.2', hostKeyTypes: ['ed25519', 'rsa', 'ecdsa'], authorized: { [TEST_USER]: [key.line] } });
t.teardown(() => sshd.stop());
const name = `[${sshd.address}]:${sshd.port}`;
let n = 0;

/** A known_hosts file with these lines, and a connection that uses it. */
function setup(lines: string[], extra: Record<string, unknown> = {}, run: Parameters<typeof sshSettingsFromVars>[2] = {}) {
  const file = join(dir, `known_hosts.${++n}`);
  writeFileSync(file, lines.length ? lines.join('\n') + '\n' : '');
  const s = sshSettingsFromVars(
    'node-a',
    {
      ansible_host: sshd.address,
      ansible_port: sshd.port,
      ansible_user: TEST_USER,
      ansible_ssh_private_key_file: key.private,
      ansible_ssh_common_args: `-o UserKnownHostsFile=${file}`,
      ...extra,
    },
    run,
  );
  s.agent = undefined;
  s.globalKnownHostsFiles = [];
  return { file, conn: new SshConnection('node-a', s) };
}

/** What OpenSSH itself prints for a public key file: "256 SHA256:... comment (ED25519)". */
function opensshFingerprint(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile], { encoding: 'utf8' }).split(' ')[1];
}

const edPub = join(sshd.hostKeyDir, 'ssh_host_ed25519_key.pub');
const [edLine, rsaLine, ecdsaLine] = sshd.knownHostsLines(['ed25519', 'rsa', 'ecdsa']);

t.test('fingerprints are formatted as OpenSSH formats them', async (t) => {
  const blob = Buffer.from(readFileSync(edPub, 'utf8').split(' ')[1], 'base64');
  t.equal(fingerprint(blob), opensshFingerprint(edPub));
  t.equal(hostKeyName('10.0.0.1', 22), '10.0.0.1');
  t.equal(hostKeyName('10.0.0.1', 2222), '[10.0.0.1]:2222');
});

t.test('a known key connects', async (t) => {
  const { conn } = setup([edLine]);
  t.equal((await conn.exec('echo ok')).stdout, 'ok\n');
  await conn.close();
});

t.test('an unknown host is refused, with the fingerprint and how to accept it', async (t) => {
  const { conn, file } = setup([]);
  const err = await conn.connect().catch((e) => e);
  t.ok(err instanceof UnreachableError);
  t.equal(err.reason, 'host-key');
  t.match(err.message, `ED25519 key fingerprint is ${opensshFingerprint(edPub)}`);
  t.match(err.message, `ssh-keyscan -p ${sshd.port} -t ed25519 ${sshd.address} >> ${file}`);
  t.match(err.message, '--host-key-checking=accept-new');
  t.equal(readFileSync(file, 'utf8'), '', 'nothing was recorded');
});

t.test('a changed key is refused, even with accept-new', async (t) => {
  const impostor = makeKey(dir, 'impostor');
  const oldLine = `${name} ${impostor.line.split(' ').slice(0, 2).join(' ')}`;
  for (const how of ['args', 'run'] as const) {
    const file = join(dir, `kh-changed-${how}`);
    const { conn } =
      how === 'args'
        ? setup([], { ansible_ssh_common_args: `-o UserKnownHostsFile=${file} -o StrictHostKeyChecking=accept-new` })
        : setup([], { ansible_ssh_common_args: `-o UserKnownHostsFile=${file}` }, { hostKeyChecking: 'accept-new' });
    writeFileSync(file, `# a comment\n${oldLine}\n`);
    t.equal(conn.settings.hostKeyChecking, 'accept-new');
    const before = readFileSync(file, 'utf8');
    const err = await conn.connect().catch((e) => e);
    t.equal(err.reason, 'host-key', how);
    t.match(err.message, 'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!');
    t.match(err.message, `known:   ${opensshFingerprint(impostor.public)} (${file}:2)`);
    t.match(err.message, `offered: ${opensshFingerprint(edPub)}`);
    t.match(err.message, `ssh-keygen -f ${file} -R '${name}'`);
    t.equal(readFileSync(file, 'utf8'), before, 'known_hosts is untouched');
  }
});

t.test('StrictHostKeyChecking=accept-new in ssh args wins over the run default', async (t) => {
  const { conn, file } = setup([], {
    ansible_ssh_common_args: `-o UserKnownHostsFile=${join(dir, 'kh-args')} -o StrictHostKeyChecking=accept-new`,
  });
  t.equal(conn.settings.hostKeyChecking, 'accept-new');
  t.equal(conn.settings.userKnownHostsFiles[0], join(dir, 'kh-args'));
  t.ok(file);
  await conn.exec('true');
  t.match(readFileSync(join(dir, 'kh-args'), 'utf8'), `${name} ssh-ed25519 `);
  await conn.close();
});

t.test('accept-new records a new key once, also from parallel connections', async (t) => {
  const { file } = setup([]);
  const conns = Array.from({ length: 6 }, () => {
    const c = setup([], {}, { hostKeyChecking: 'accept-new' }).conn;
    c.settings.userKnownHostsFiles = [file];
    return c;
  });
  await Promise.all(conns.map((c) => c.exec('true')));
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  t.same(lines, [edLine], 'exactly one line, the server key');
  await Promise.all(conns.map((c) => c.close()));
  // Strict checking now accepts the recorded key.
  const strict = setup([]).conn;
  strict.settings.userKnownHostsFiles = [file];
  t.equal((await strict.exec('echo again')).stdout, 'again\n');
  await strict.close();
});

t.test('hashed known_hosts entries (ssh-keygen -H)', async (t) => {
  const { conn, file } = setup([edLine]);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', file]);
  const text = readFileSync(file, 'utf8');
  t.match(text, /^\|1\|/, 'the file is hashed now');
  t.notMatch(text, sshd.address);
  t.equal((await conn.exec('echo hashed')).stdout, 'hashed\n');
  await conn.close();
});

t.test('a server with several host keys shows the type known_hosts has', async (t) => {
  for (const line of [rsaLine, ecdsaLine]) {
    const { conn } = setup([line]);
    t.equal((await conn.exec('echo ok')).stdout, 'ok\n', line.split(' ')[1]);
    await conn.close();
  }
});

t.test('host lists, wildcards and negation', async (t) => {
  const b64 = edLine.split(' ').slice(1).join(' ');
  const ok1 = setup([`other.example,${name} ${b64}`]).conn;
  t.equal((await ok1.exec('echo list')).stdout, 'list\n');
  await ok1.close();
  const ok2 = setup([`[127.0.20.*]:* ${b64}`]).conn;
  t.equal((await ok2.exec('echo glob')).stdout, 'glob\n');
  await ok2.close();
  const neg = setup([`!${name},[127.0.20.*]:* ${b64}`]).conn;
  t.equal((await neg.connect().catch((e) => e)).reason, 'host-key', 'a negated pattern excludes the host');
  t.ok(hostsFieldMatches('Web1.Example', 'web1.example'), 'names compare case-insensitively');
});

t.test('the address connected to is checked, not the inventory name', async (t) => {
  const b64 = edLine.split(' ').slice(1).join(' ');
  const { conn } = setup([`node-a ${b64}`, `[node-a]:${sshd.port} ${b64}`]);
  const err = await conn.connect().catch((e) => e);
  t.equal(err.reason, 'host-key');
});

t.test('@revoked keys are refused; @cert-authority lines are not trusted as host keys', async (t) => {
  const b64 = edLine.split(' ').slice(1).join(' ');
  const revoked = setup([`@revoked * ${b64}`, edLine]).conn;
  const err = await revoked.connect().catch((e) => e);
  t.equal(err.reason, 'host-key');
  t.match(err.message, /revoked/);
  const ca = setup([`@cert-authority * ${b64}`]).conn;
  t.equal((await ca.connect().catch((e) => e)).reason, 'host-key');
  t.equal(parseKnownHosts(`@cert-authority * ${b64}\n${edLine}\n`, 'f')[0].marker, 'cert-authority');
});

t.test('an rsa key that differs from the known rsa key is a changed key', async (t) => {
  const impostor = makeKey(dir, 'impostor-rsa', 'rsa');
  const { conn } = setup([`${name} ${impostor.line.split(' ').slice(0, 2).join(' ')}`], {}, { hostKeyChecking: 'accept-new' });
  const err = await conn.connect().catch((e) => e);
  t.equal(err.reason, 'host-key');
  t.match(err.message, 'REMOTE HOST IDENTIFICATION HAS CHANGED');
  t.match(err.message, 'The RSA host key');
});

t.test('off connects without any known key, only when asked', async (t) => {
  const { conn, file } = setup([], {
    ansible_ssh_common_args: `-o UserKnownHostsFile=${join(dir, 'kh-off')} -o StrictHostKeyChecking=no`,
  });
  t.ok(file);
  t.equal(conn.settings.hostKeyChecking, 'off');
  t.equal((await conn.exec('echo blind')).stdout, 'blind\n');
  await conn.close();
  t.throws(() => readFileSync(join(dir, 'kh-off')), 'off records nothing');
});
