/**
 * become over SSH against a real sshd, sudo and su: passwords answered only
 * when asked, wrong passwords failing fast, hostile strings arriving intact,
 * and file writes as root that keep owner and mode.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { BecomeError } from '../../lib/connection/become.js';
import { shellQuote } from '../../lib/connection/quote.js';
import { CommandError } from '../../lib/connection/types.js';
import { gidOf, OTHER_PASSWORD, OTHER_USER, PW_USER, PW_USER_PASSWORD, TEST_USER, uidOf } from '../helpers/sshd.js';
import { keyedSshd } from './helpers.js';

const ssh = await keyedSshd('become', '127.0.20.4', [TEST_USER, PW_USER]);
const connect = (user: string) => ssh.connect('web1', user);

const nopw = connect(TEST_USER); // sudo without a password
const pw = connect(PW_USER); // sudo wants the password
t.teardown(() => Promise.all([nopw.close(), pw.close()]));

t.test('sudo without a password', async (t) => {
  t.equal((await nopw.exec('id -un', { become: {} })).stdout, 'root\n');
  t.equal((await nopw.exec('id -un', { become: { user: OTHER_USER } })).stdout, `${OTHER_USER}\n`);
  const r = await nopw.exec('echo out; echo err >&2; exit 5', { become: {}, allowFailure: true });
  t.same(r, { rc: 5, stdout: 'out\n', stderr: 'err\n' }, "the command's own rc, output and errors");
  const err = await nopw.exec('exit 5', { become: {} }).catch((e) => e);
  t.ok(err instanceof CommandError && !(err instanceof BecomeError), 'a failing command is a CommandError, not a become failure');
});

t.test('sudo with a password: answered at the prompt, prompt not in stderr', async (t) => {
  const r = await pw.exec('id -un; cat; echo done >&2', { become: { password: PW_USER_PASSWORD }, stdin: 'the input\n' });
  t.equal(r.stdout, 'root\nthe input\n');
  t.equal(r.stderr, 'done\n', 'no prompt, no marker in stderr');
});

t.test('a password sudo does not ask for never reaches the command', async (t) => {
  const r = await nopw.exec('cat', { become: { password: 'must-not-leak' }, stdin: 'payload' });
  t.equal(r.stdout, 'payload', 'stdin is exactly what the caller gave');
  const empty = await nopw.exec('cat', { become: { password: 'must-not-leak' } });
  t.equal(empty.stdout, '');
});

t.test('a wrong sudo password fails fast and clearly', async (t) => {
  const start = Date.now();
  const err = await pw.exec('id', { become: { password: 'wrong' }, allowFailure: true }).catch((e) => e);
  const ms = Date.now() - start;
  t.ok(err instanceof BecomeError, 'rejects even with allowFailure');
  t.match(err.message, /incorrect sudo password/);
  // It does not wait for a prompt that never comes (sudo's own delay after a wrong password is about 2 s).
  t.ok(ms < 25_000, `failed after ${ms} ms`);
  t.equal((await pw.exec('echo alive')).stdout, 'alive\n', 'the connection is fine afterwards');
});

t.test('sudo needing a password that was not given fails at once (sudo -n)', async (t) => {
  const start = Date.now();
  const err = await pw.exec('id', { become: {} }).catch((e) => e);
  t.ok(err instanceof BecomeError);
  t.match(err.message, /needs a password to become 'root'.*ansible_become_password/);
  t.ok(Date.now() - start < 15_000, 'no prompt waited for');
});

t.test('su with a password, wrong password, and no password', async (t) => {
  const become = { method: 'su' as const, user: OTHER_USER, password: OTHER_PASSWORD };
  const r = await nopw.exec('id -un; cat', { become, stdin: 'via su\n' });
  t.equal(r.stdout, `${OTHER_USER}\nvia su\n`);
  t.notMatch(r.stderr, /assword/);
  const wrong = await nopw.exec('id', { become: { ...become, password: 'nope' } }).catch((e) => e);
  t.ok(wrong instanceof BecomeError);
  t.match(wrong.message, /incorrect su password/);
  const start = Date.now();
  const none = await nopw.exec('id', { become: { method: 'su', user: OTHER_USER } }).catch((e) => e);
  t.ok(none instanceof BecomeError);
  t.match(none.message, /asks for a password/);
  t.ok(Date.now() - start < 25_000, 'no prompt waited for');
});

const hostile = [
  `it's`,
  `"double" and 'single'`,
  '$(touch /tmp/tsplay-pwned-1)',
  '`touch /tmp/tsplay-pwned-2`',
  'a; touch /tmp/tsplay-pwned-3',
  'line one\nline two\n',
  '\\ backslash \\\\ and $HOME and ${PATH} and * glob',
  `'; touch /tmp/tsplay-pwned-4; echo '`,
  '%s %d %%',
];

t.test('hostile strings pass through become unchanged', async (t) => {
  for (const become of [{}, { user: OTHER_USER }, { method: 'su' as const, user: OTHER_USER, password: OTHER_PASSWORD }]) {
    for (const s of hostile) {
      const r = await nopw.exec(`printf '%s' ${shellQuote(s)}`, { become });
      t.equal(r.stdout, s, `${JSON.stringify(become)} ${JSON.stringify(s)}`);
    }
    const env = await nopw.exec('printf %s "$V"', { become, env: { V: hostile.join('|') } });
    t.equal(env.stdout, hostile.join('|'), 'environment survives sudo and su');
  }
  const pwd = await nopw.exec('pwd', { become: {}, cwd: '/root' });
  t.equal(pwd.stdout, '/root\n', 'cwd is entered as the become user');
  for (let i = 1; i <= 4; i++) t.notOk(existsSync(`/tmp/tsplay-pwned-${i}`), `nothing ran (${i})`);
});

t.test('files as root: put keeps owner and mode, leaves no temp files', async (t) => {
  const d = `/srv/tsplay-become-${process.pid}`;
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { mode: 0o755 });
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  const f = join(d, 'app.conf');
  writeFileSync(f, 'old\n');
  chownSync(f, 0, gidOf(OTHER_USER));
  chmodSync(f, 0o640);
  const tmpBefore = readdirSync('/tmp').filter((n) => n.startsWith('.tsplay-'));

  const plain = await nopw.put(f, 'x').catch((e) => e);
  t.equal(plain.code, 'EACCES', 'without become the login user may not write there');

  await nopw.put(f, 'new content\n', { become: {} });
  t.equal(readFileSync(f, 'utf8'), 'new content\n');
  const st = statSync(f);
  t.equal(st.uid, 0);
  t.equal(st.gid, gidOf(OTHER_USER), 'group kept');
  t.equal(st.mode & 0o7777, 0o640, 'mode kept');

  await nopw.put(join(d, 'secret'), Buffer.from([0, 255, 10]), { become: {}, mode: 0o600 });
  const s2 = statSync(join(d, 'secret'));
  t.equal(s2.uid, 0);
  t.equal(s2.mode & 0o7777, 0o600);
  t.same([...readFileSync(join(d, 'secret'))], [0, 255, 10]);

  await nopw.put(join(d, 'fresh'), 'umask\n', { become: {} });
  t.equal(statSync(join(d, 'fresh')).mode & 0o777, 0o644, 'a new file gets the umask default, not mktemp 0600');

  t.same(readdirSync(d).sort(), ['app.conf', 'fresh', 'secret'], 'no temp files left in the directory');
  t.same(readdirSync('/tmp').filter((n) => n.startsWith('.tsplay-')), tmpBefore, 'no temp files left in /tmp');

  // Also with a sudo password and with su.
  await pw.put(f, 'by pw\n', { become: { password: PW_USER_PASSWORD } });
  t.equal(readFileSync(f, 'utf8'), 'by pw\n');
  t.equal(statSync(f).mode & 0o7777, 0o640);
});

t.test('files as another unprivileged user (content on stdin)', async (t) => {
  const f = `/home/${OTHER_USER}/from-become.txt`;
  rmSync(f, { force: true });
  await nopw.put(f, 'hello other\n', { become: { user: OTHER_USER }, mode: 0o600 });
  const st = statSync(f);
  t.equal(st.uid, uidOf(OTHER_USER));
  t.equal(st.mode & 0o777, 0o600);
  t.equal(readFileSync(f, 'utf8'), 'hello other\n');
  const viaSu = { method: 'su' as const, user: OTHER_USER, password: OTHER_PASSWORD };
  await nopw.put(f, 'via su\n', { become: viaSu });
  t.equal((await nopw.get(f, { become: viaSu })).toString(), 'via su\n');
});

t.test('get, stat, sha256, chmod, chown, rename with become', async (t) => {
  const d = `/root/tsplay-become-${process.pid}`;
  mkdirSync(d, { mode: 0o700 });
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  const f = join(d, 'data.bin');
  const data = Buffer.from([1, 2, 3, 0, 200, 10, 13]);
  writeFileSync(f, data);
  const b = { become: {} };
  t.same([...(await nopw.get(f, b))], [...data], 'binary content through sudo');
  t.equal((await nopw.get(join(d, 'nope'), b).catch((e) => e)).code, 'ENOENT');
  t.match(await nopw.stat(f, b), { isFile: true, size: 7, uid: 0, mode: 0o644 });
  t.equal(await nopw.stat(join(d, 'nope'), b), null);
  t.equal(await nopw.sha256(f, b), createHash('sha256').update(data).digest('hex'));
  await t.rejects(nopw.sha256(f), /Permission denied/, 'without become: an error, not a missing file');
  await nopw.chmod(f, 0o600, b);
  t.equal(statSync(f).mode & 0o777, 0o600);
  await nopw.chown(f, uidOf(OTHER_USER), gidOf(OTHER_USER), b);
  t.equal(statSync(f).uid, uidOf(OTHER_USER));

  // The atomic write pattern: write a temp file as the login user, then move it into place as root.
  const tmp = `/tmp/.tsplay-test-${process.pid}`;
  await nopw.put(tmp, 'atomic\n', { mode: 0o600 });
  const target = join(d, 'placed.conf');
  await nopw.rename(tmp, target, b);
  await nopw.chown(target, 0, 0, b);
  await nopw.chmod(target, 0o644, b);
  t.equal(readFileSync(target, 'utf8'), 'atomic\n');
  t.match(statSync(target), { uid: 0, gid: 0 });
  t.notOk(existsSync(tmp));
});
