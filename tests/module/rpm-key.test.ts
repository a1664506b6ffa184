/**
 * rpm_key for real: a key made with gpg here, imported into and erased from
 * an rpm database over SSH. The login user runs without become, so rpm uses
 * that user's own database (Debian's rpm keeps it under $HOME), never the
 * machine's. The key's id and fingerprint, read by tsplay without gpg, are
 * checked against gpg's own.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { keyIdentity } from '../../lib/module/packages/openpgp-key.js';
import { testModule, type ModuleCase } from '../../lib/testing/index.js';
import { TEST_USER, ensureTestUsers, makeKey, startSshd, tempDir } from '../helpers/sshd.js';

ensureTestUsers();
// Removed when the process exits (tests/helpers/sshd.ts).
const dir = tempDir('rpm-key');

// A signing key with no passphrase, in a keyring of the test's own.
const gnupg = join(dir, 'gnupg');
mkdirSync(gnupg, { mode: 0o700 });
const gpg = (...a: string[]) => execFileSync('gpg', ['--batch', '--quiet', '--homedir', gnupg, ...a], { stdio: ['ignore', 'pipe', 'pipe'] });
gpg('--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'tsplay test key <tests@tsplay.invalid>', 'rsa2048', 'sign', 'never');
const armored = gpg('--armor', '--export').toString();
const binary = gpg('--export');
const colons = gpg('--with-colons', '--fingerprint').toString();
const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)![1];
const keyid = fingerprint.slice(-16);
const short = keyid.slice(-8).toLowerCase();

const sshKey = makeKey(dir, 'id_ed25519');
const sshd = await startSshd({ address: '127.0.20.72', authorized: { [TEST_USER]: [sshKey.line] } });
t.teardown(() => sshd.stop());
const knownHosts = join(dir, 'known_hosts');
writeFileSync(knownHosts, sshd.knownHostsLines().join('\n') + '\n');
const host = {
  name: 'sshhost',
  vars: {
    ansible_host: sshd.address,
    ansible_port: sshd.port,
    ansible_user: TEST_USER,
    ansible_ssh_private_key_file: sshKey.private,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
  },
};

t.test("the key's identity is gpg's, from the armored and the binary key", async (t) => {
  t.same(keyIdentity(Buffer.from(armored)), { fingerprint, keyid });
  t.same(keyIdentity(binary), { fingerprint, keyid });
  t.equal(keyIdentity(Buffer.from('not a key')), undefined);
});

/** rpm as the login user, with that user's database. */
const asUser = (cmd: string) => execFileSync('runuser', ['-u', TEST_USER, '--', 'env', `HOME=/home/${TEST_USER}`, 'LC_ALL=C', 'sh', '-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const imported = () => asUser(`rpm -q gpg-pubkey-${short} >/dev/null 2>&1 && echo yes || echo no`).trim() === 'yes';
const erase = `rpm -e --allmatches gpg-pubkey-${short} >/dev/null 2>&1; true`;
t.teardown(() => asUser(erase));

// An HTTP server the host downloads keys from: /key.asc the key, /hello.txt not a key.
const web = createServer((req, res) => {
  if (req.url === '/key.asc') res.end(armored);
  else if (req.url === '/hello.txt') res.end('hello\n');
  else res.writeHead(404).end();
});
await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
t.teardown(() => web.close());
const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;

const files = { 'key.asc': armored };
const key = '{{ test_dir }}/key.asc';
const cases: ModuleCase[] = [
  { name: 'a key file is imported', setup: erase, files, args: { key }, plan: { changed: true } },
  { name: 'the fingerprint, spaced as gpg prints it, is checked', setup: erase, files, args: { key, fingerprint: fingerprint.replace(/(.{4})/g, '$1 ').trim() }, plan: { changed: true } },
  { name: 'a different fingerprint is refused', setup: erase, files, args: { key, fingerprint: '0'.repeat(40) }, plan: { changed: false, failed: new RegExp(`The specified fingerprint, '0{40}', does not match the key fingerprint '${fingerprint}'`) } },
  { name: 'a key rpm has is left alone', setup: `${erase}; rpm --import key.asc 2>/dev/null`, files, args: { key, state: 'present' }, plan: { changed: false } },
  { name: 'a key id rpm has is left alone', setup: `${erase}; rpm --import key.asc 2>/dev/null`, files, args: { key: `0x${keyid}` }, plan: { changed: false } },
  { name: 'a key from a URL the host downloads', setup: erase, files, args: { key: `${url}/key.asc` }, plan: { changed: true } },
  { name: 'absent erases by key id', setup: `${erase}; rpm --import key.asc 2>/dev/null`, files, args: { key: short.toUpperCase(), state: 'absent' }, plan: { changed: true } },
  { name: 'absent erases by key file', setup: `${erase}; rpm --import key.asc 2>/dev/null`, files, args: { key, state: 'absent' }, plan: { changed: true } },
  { name: 'absent: a key rpm does not have is left alone', setup: erase, files, args: { key, state: 'absent' }, plan: { changed: false } },
  { name: 'a key id rpm does not have cannot be imported', setup: erase, args: { key: keyid }, plan: { changed: false, failed: /When importing a key, a valid file must be given/ } },
  { name: 'a missing file is not a valid key', setup: erase, args: { key: '{{ test_dir }}/missing.asc' }, plan: { changed: false, failed: /Not a valid key .*missing\.asc/ } },
  { name: 'a file that is not a key is refused', setup: erase, files: { 'key.asc': 'hello\n' }, args: { key }, plan: { changed: false, failed: /key\.asc is not an OpenPGP public key/ } },
  { name: 'a URL that is not a key is refused', setup: erase, args: { key: `${url}/hello.txt` }, plan: { changed: false, failed: /Not a public key: http:.*hello\.txt/ } },
  { name: 'a URL that fails names it', setup: erase, args: { key: `${url}/missing.asc` }, plan: { changed: false, failed: /failed to fetch key at http:.*missing\.asc/ } },
];

t.test('rpm_key over SSH, with the login user\'s rpm database', async (t) => {
  const def = await new ModuleRegistry().get('rpm_key');
  for (const r of await testModule(def, cases, { host })) t.same(r.problems, [], r.name);
});

t.test('check mode imports and erases nothing; a second run changes nothing', async (t) => {
  asUser(erase);
  const keyFile = join(dir, 'key.asc');
  writeFileSync(keyFile, armored, { mode: 0o644 });
  execFileSync('chmod', ['755', dir]);
  const inventory = { all: { hosts: { sshhost: host.vars } } };
  const play = (state: string) => ({ plays: [{ hosts: 'sshhost', gather_facts: false, tasks: [{ rpm_key: { key: keyFile, state } }] }] });
  t.equal((await runPlaybook({ inventory, playbook: play('present'), check: true })).stats.sshhost.changed, 1, 'check mode reports the import');
  t.notOk(imported(), 'and imports nothing');
  t.equal((await runPlaybook({ inventory, playbook: play('present') })).stats.sshhost.changed, 1);
  t.ok(imported(), 'rpm has the key');
  t.equal((await runPlaybook({ inventory, playbook: play('present') })).stats.sshhost.changed, 0, 'a second run changes nothing');
  t.equal((await runPlaybook({ inventory, playbook: play('absent'), check: true })).stats.sshhost.changed, 1, 'check mode reports the erasure');
  t.ok(imported(), 'and erases nothing');
  t.equal((await runPlaybook({ inventory, playbook: play('absent') })).stats.sshhost.changed, 1);
  t.notOk(imported(), 'the key is gone');
  t.equal(readFileSync(keyFile, 'utf8'), armored, 'the key file is as it was');
});
