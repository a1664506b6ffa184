/**
 * Connection conformance: the same cases against every transport, the local
 * connection and SSH (a real sshd), each with and without become. The file
 * primitives (atomic write with owner/mode/backup/validate, batched reads,
 * remove) and the errors they raise must behave identically everywhere,
 * including a write interrupted half-way, which never leaves a partial file.
 */
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reads, runReads, type RemoteFile } from '../../lib/connection/batch-read.js';
import { LocalConnection } from '../../lib/connection/local.js';
import { removeRemoteFile, writeRemoteFile, writeScript, type RemoteFileExec } from '../../lib/connection/remote-file.js';
import { FileError, type BecomeOptions, type Connection, type ExecOptions } from '../../lib/connection/types.js';
import { gidOf, OTHER_USER, PW_USER, PW_USER_PASSWORD, tempDir, TEST_USER, uidOf, type Sshd } from '../helpers/sshd.js';
import { keyedSshd } from './helpers.js';

const { sshd, connect } = await keyedSshd('conformance', '127.0.20.70', [TEST_USER, PW_USER]);
const sshConnection = (user: string) => connect('conf', user);

/** Counts exec calls (each is one round trip). */
function counting(conn: Connection): Connection & { execs: number } {
  const c = Object.create(conn) as Connection & { execs: number };
  c.execs = 0;
  c.exec = (cmd: string, opts?: ExecOptions) => {
    c.execs++;
    return conn.exec(cmd, opts);
  };
  return c;
}

/** The sshd session processes (not the listener, not the commands): killing them is a dropped connection. */
function sshSessions(s: Sshd): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const comm = readFileSync(`/proc/${e}/comm`, 'utf8').trim();
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'sshd' && Number(e) !== s.pid && (ppid === s.pid || out.includes(ppid))) out.push(Number(e));
    } catch {}
  }
  return out;
}

interface Transport {
  name: string;
  /** The user files are written as. */
  user: string;
  /** A connection (fresh after interrupt()). */
  conn(): Connection;
  become?: BecomeOptions;
  /** A scratch directory writable by `user` only. */
  dir(): string;
  /** Cuts the connection while a command runs (the command itself is not killed). */
  interrupt(write: Promise<unknown>, abort: AbortController): Promise<void>;
}

let dirCount = 0;
function ownedDir(owner: string): string {
  const d = join(tempDir('conf-case'), `d${dirCount++}`);
  mkdirSync(d, { mode: 0o700 });
  chownSync(d, uidOf(owner), gidOf(owner));
  chmodSync(d, 0o700);
  return d;
}

function localTransport(name: string, become?: BecomeOptions): Transport {
  let conn = new LocalConnection('local');
  const user = become ? (become.user ?? 'root') : 'root';
  return {
    name,
    user,
    become,
    conn: () => conn,
    dir: () => ownedDir(user),
    // Locally the "connection" is the process: the run being stopped (Ctrl-C, a timeout) aborts it.
    async interrupt(_write, abort) {
      abort.abort();
      conn = new LocalConnection('local');
    },
  };
}

function sshTransport(name: string, login: string, become?: BecomeOptions): Transport {
  let conn = sshConnection(login);
  const user = become ? (become.user ?? 'root') : login;
  return {
    name,
    user,
    become,
    conn: () => conn,
    dir: () => ownedDir(user),
    async interrupt() {
      for (const p of sshSessions(sshd)) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {}
      }
      await conn.close().catch(() => {});
      conn = sshConnection(login);
    },
  };
}

const transports: Transport[] = [
  localTransport('local'),
  localTransport('local, become other user', { user: OTHER_USER }),
  sshTransport('ssh', TEST_USER),
  sshTransport('ssh, become root (sudo)', TEST_USER, {}),
  sshTransport('ssh, become root (sudo with password)', PW_USER, { password: PW_USER_PASSWORD }),
];

interface Ctx {
  tr: Transport;
  conn: Connection;
  dir: string;
  x: RemoteFileExec;
}

type Case = [name: string, run: (t: Test, c: Ctx) => Promise<void>];

const mode = (p: string) => statSync(p).mode & 0o7777;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
/** A file of the start state, owned by the transport's user. */
function seed(p: string, content: string, tr: Transport): void {
  writeFileSync(p, content);
  chownSync(p, uidOf(tr.user), gidOf(tr.user));
}
/**
 * A write that opened a FIFO would block for ever: fail the test with a clear
 * message instead of at the file's timeout. The bound is a hang detector, far
 * above any loaded machine's time for a small write, not a speed check.
 */
async function withinHangBound<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: the write blocked (no answer in 120 s)`)), 120_000);
  });
  try {
    return await Promise.race([p, hung]);
  } finally {
    clearTimeout(timer);
  }
}
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.includes('.tsplay-'));

const cases: Case[] = [
  [
    'write creates a new file with the umask mode, owned by the writing user',
    async (t, { conn, dir, x, tr }) => {
      const p = join(dir, 'new.conf');
      const r = await writeRemoteFile(conn, p, 'hello\n', {}, x);
      t.same(r, { path: p, existed: false });
      t.equal(readFileSync(p, 'utf8'), 'hello\n');
      t.equal(mode(p), 0o644);
      t.equal(statSync(p).uid, uidOf(tr.user));
      t.same(leftovers(dir), [], 'no temp file left');
    },
  ],
  [
    'write replaces content and keeps mode, owner and group',
    async (t, { conn, dir, x, tr }) => {
      const p = join(dir, 'app.conf');
      writeFileSync(p, 'old\n');
      chownSync(p, uidOf(tr.user), gidOf(OTHER_USER === tr.user ? TEST_USER : OTHER_USER));
      chmodSync(p, 0o640);
      const before = statSync(p);
      const r = await writeRemoteFile(conn, p, 'new\n', {}, x);
      t.equal(r.existed, true);
      const after = statSync(p);
      t.equal(readFileSync(p, 'utf8'), 'new\n');
      t.equal(after.mode & 0o7777, 0o640, 'mode kept');
      t.equal(after.uid, before.uid, 'owner kept');
      if (tr.user === 'root') t.equal(after.gid, before.gid, 'group kept');
      t.not(after.ino, before.ino, 'a new inode: renamed into place, not written in place');
    },
  ],
  [
    'write sets mode (number or string)',
    async (t, { conn, dir, x }) => {
      const p = join(dir, 'm');
      await writeRemoteFile(conn, p, 'x', { mode: 0o600 }, x);
      t.equal(mode(p), 0o600);
      await writeRemoteFile(conn, p, 'y', { mode: '0755' }, x);
      t.equal(mode(p), 0o755);
      await t.rejects(writeRemoteFile(conn, p, 'z', { mode: 'rw-r--r--' }, x), /invalid mode/);
      t.equal(readFileSync(p, 'utf8'), 'y');
    },
  ],
  [
    'every mode comes out exact, whether the umask can give it or chmod must; a known mode is kept',
    async (t, { conn, dir, x, tr }) => {
      const p = join(dir, 'modes');
      for (const m of [0o644, 0o600, 0o640, 0o400, 0o000, 0o666, 0o755, 0o700, 0o4755, 0o2750, 0o1777]) {
        await writeRemoteFile(conn, p, `mode ${m.toString(8)}\n`, { mode: m }, x);
        t.equal(mode(p), m, `mode ${m.toString(8)}`);
        t.equal(readFileSync(p, 'utf8'), `mode ${m.toString(8)}\n`);
      }
      // A replacement made with the mode the caller read (knownMode): kept without chmod --reference.
      for (const m of [0o640, 0o600, 0o750, 0o6755]) {
        chmodSync(p, m);
        await writeRemoteFile(conn, p, `known ${m.toString(8)}\n`, { knownMode: m }, x);
        t.equal(mode(p), m, `known mode ${m.toString(8)} kept`);
        if (tr.user === 'root') t.equal(statSync(p).uid, 0);
      }
      // A new file is not given the known mode of a file that is gone: the umask decides, as for any new file.
      const gone = join(dir, 'gone');
      await writeRemoteFile(conn, gone, 'new\n', { knownMode: 0o600 }, x);
      const umask = parseInt((await conn.exec('umask', x)).stdout.trim(), 8);
      t.equal(mode(gone), 0o666 & ~umask, `the umask's mode (umask ${umask.toString(8)}), not the stale one`);
      t.equal(readdirSync(dir).filter((f) => f.includes('.tsplay-')).length, 0, 'no temp file left');
    },
  ],
  [
    'write sets owner and group when the user may (else EACCES)',
    async (t, { conn, dir, x, tr }) => {
      const p = join(dir, 'owned');
      if (tr.user === 'root') {
        await writeRemoteFile(conn, p, 'x', { owner: OTHER_USER, group: TEST_USER }, x);
        t.equal(statSync(p).uid, uidOf(OTHER_USER));
        t.equal(statSync(p).gid, gidOf(TEST_USER));
      } else {
        const e = await writeRemoteFile(conn, p, 'x', { owner: 'root' }, x).catch((err) => err);
        t.ok(e instanceof FileError && e.code === 'EACCES', `EACCES, got ${e}`);
        t.notOk(existsSync(p), 'nothing written');
      }
    },
  ],
  [
    'every byte value round-trips; empty content too',
    async (t, { conn, dir, x }) => {
      const data = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
      const p = join(dir, 'bin');
      await writeRemoteFile(conn, p, data, {}, x);
      t.ok(readFileSync(p).equals(data));
      const [f] = (await runReads(conn, [reads.file(p)], x)) as [RemoteFile];
      t.ok(f.exists && f.content!.equals(data), 'read back the same bytes');
      await writeRemoteFile(conn, p, '', {}, x);
      t.equal(statSync(p).size, 0);
      const [g] = (await runReads(conn, [reads.file(p)], x)) as [RemoteFile];
      t.equal(g.exists && g.text, '');
    },
  ],
  [
    '4 MiB round trip',
    async (t, { conn, dir, x }) => {
      const data = randomBytes(4 * 1024 * 1024);
      const p = join(dir, 'big');
      await writeRemoteFile(conn, p, data, {}, x);
      t.equal(sha(readFileSync(p)), sha(data));
      const [f] = (await runReads(conn, [reads.file(p)], x)) as [RemoteFile];
      t.equal(f.exists && sha(f.content!), sha(data));
    },
  ],
  [
    'a symlinked destination is replaced by the file; its target is left alone (follow: no)',
    async (t, { conn, dir, x, tr }) => {
      const elsewhere = ownedDir(tr.user);
      const target = join(elsewhere, 'real.conf');
      seed(target, 'old\n', tr);
      chmodSync(target, 0o600);
      const link = join(dir, 'link.conf');
      symlinkSync(target, link);
      const r = await writeRemoteFile(conn, link, 'new\n', { unlessSame: true }, x);
      t.equal(r.path, link);
      t.notOk(r.same);
      t.ok(lstatSync(link).isFile(), 'the link became a regular file');
      t.equal(readFileSync(link, 'utf8'), 'new\n');
      t.not(mode(link), 0o600, "the new file does not take the old target's mode");
      t.equal(readFileSync(target, 'utf8'), 'old\n', 'the target is untouched');
      t.same(readdirSync(elsewhere), ['real.conf'], 'nothing written beside the target');
      // The same bytes behind a link are still a link to replace.
      const link2 = join(dir, 'link2.conf');
      symlinkSync(target, link2);
      const again = await writeRemoteFile(conn, link2, 'old\n', { unlessSame: true }, x);
      t.notOk(again.same);
      t.ok(lstatSync(link2).isFile());
    },
  ],
  [
    'follow: the target of a symlinked destination is written, the link stays; a dangling link is replaced',
    async (t, { conn, dir, x, tr }) => {
      const target = join(dir, 'real.conf');
      const link = join(dir, 'link.conf');
      seed(target, 'old\n', tr);
      symlinkSync('real.conf', link);
      const r = await writeRemoteFile(conn, link, 'new\n', { follow: true }, x);
      t.equal(r.path, target);
      t.ok(lstatSync(link).isSymbolicLink());
      t.equal(readlinkSync(link), 'real.conf');
      t.equal(readFileSync(target, 'utf8'), 'new\n');
      const [f] = (await runReads(conn, [reads.file(link)], x)) as [RemoteFile];
      t.match(f, { exists: true, text: 'new\n', stat: { isSymlink: true, isFile: true } });
      const dangling = join(dir, 'dangling.conf');
      symlinkSync(join(dir, 'nowhere.conf'), dangling);
      await writeRemoteFile(conn, dangling, 'x\n', { follow: true }, x);
      t.ok(lstatSync(dangling).isFile(), 'the dangling link became the file');
      t.notOk(existsSync(join(dir, 'nowhere.conf')), 'nothing made where it pointed');
    },
  ],
  [
    'a symlinked parent directory is resolved once: a link swapped in during the write does not redirect it',
    async (t, { conn, dir, x, tr }) => {
      const real = join(dir, 'real');
      const elsewhere = ownedDir(tr.user);
      mkdirSync(real);
      chownSync(real, uidOf(tr.user), gidOf(tr.user));
      const via = join(dir, 'via');
      symlinkSync('real', via);
      // validate runs between the check and the rename: it swaps the parent link to another directory.
      const swap = `ln -sfn ${elsewhere} ${via} && test -f %s`;
      await writeRemoteFile(conn, join(via, 'f.conf'), 'data\n', { validate: swap, backup: true }, x);
      t.equal(readFileSync(join(real, 'f.conf'), 'utf8'), 'data\n', 'written in the directory resolved at the start');
      t.equal(readlinkSync(via), elsewhere, 'the swap happened');
      t.same(readdirSync(elsewhere), [], 'nothing written where the swapped link points');
      t.same(readdirSync(real), ['f.conf'], 'no temp file left');
    },
  ],
  [
    'objects planted at the temp name are never opened: the name is taken, another is made',
    async (t, { conn, dir, x, tr }) => {
      const elsewhere = ownedDir(tr.user);
      const victim = join(elsewhere, 'victim');
      writeFileSync(victim, 'victim\n');
      const fifo = join(elsewhere, 'fifo');
      execFileSync('mkfifo', [fifo]);
      const p = join(dir, 'f.conf');
      seed(p, 'old\n', tr);
      const kinds: [string, (at: string) => void][] = [
        ['a symlink to a file elsewhere', (at) => symlinkSync(victim, at)],
        ['a symlink to a FIFO', (at) => symlinkSync(fifo, at)],
        ['a dangling symlink', (at) => symlinkSync(join(elsewhere, 'made'), at)],
        ['a FIFO', (at) => execFileSync('mkfifo', [at])],
        ...(process.getuid?.() === 0 ? [['a character device', (at: string) => execFileSync('mknod', [at, 'c', '1', '3'])] as [string, (at: string) => void]] : []),
      ];
      const planted = new Map<string, string>();
      const kindOf = (at: string) => {
        const st = lstatSync(at);
        return st.isSymbolicLink() ? `link ${readlinkSync(at)}` : st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? `chr ${st.rdev}` : 'other';
      };
      for (const [i, [what, plant]] of kinds.entries()) {
        // The name the planter guessed: the script is given it as its "random" part.
        const guess = `guessed${i}`;
        const at = join(dir, `.f.conf.tsplay-${guess}`);
        plant(at);
        planted.set(at, kindOf(at));
        const data = Buffer.from(`new ${i}\n`);
        const run = conn.exec(writeScript(p, data.length, {}, guess), { ...x, stdin: data, allowFailure: true });
        const r = await withinHangBound(run, what);
        t.equal(r.rc, 0, `${what}: written (${r.stderr})`);
        t.equal(readFileSync(p, 'utf8'), `new ${i}\n`, `${what}: the target has the bytes`);
      }
      for (const [at, kind] of planted) t.equal(kindOf(at), kind, `${at} is untouched`);
      t.equal(readFileSync(victim, 'utf8'), 'victim\n', 'the file elsewhere is untouched');
      t.ok(lstatSync(fifo).isFIFO());
      t.notOk(existsSync(join(elsewhere, 'made')), 'nothing made through the dangling link');
      t.same(readdirSync(dir).filter((n) => !planted.has(join(dir, n))), ['f.conf'], 'no temp file left');
    },
  ],
  [
    'a FIFO or a device at the destination is replaced, never opened',
    async (t, { conn, dir, x }) => {
      const p = join(dir, 'fifo.conf');
      execFileSync('mkfifo', [p]);
      await withinHangBound(writeRemoteFile(conn, p, 'data\n', { unlessSame: true, backup: true }, x), 'a FIFO at the destination');
      t.ok(lstatSync(p).isFile());
      t.equal(readFileSync(p, 'utf8'), 'data\n');
    },
  ],
  [
    'a missing directory is ENOENT, the same on every transport',
    async (t, { conn, dir, x }) => {
      const e = await writeRemoteFile(conn, join(dir, 'no/such/dir/f'), 'x', {}, x).catch((err) => err);
      t.ok(e instanceof FileError, String(e));
      t.equal(e.code, 'ENOENT');
      t.match(e.message, /no such directory/);
    },
  ],
  [
    'a directory the user may not write is EACCES',
    async (t, { conn, dir, x, tr }) => {
      const locked = join(dir, 'locked');
      mkdirSync(locked);
      chownSync(locked, 0, 0);
      chmodSync(locked, 0o755);
      const e = await writeRemoteFile(conn, join(locked, 'f'), 'x', {}, x).catch((err) => err);
      if (tr.user === 'root') t.equal(e.path, join(locked, 'f'), 'root may write anywhere');
      else t.ok(e instanceof FileError && e.code === 'EACCES', `EACCES, got ${e}`);
    },
  ],
  [
    'backup: the old file is kept under a timestamped name, returned',
    async (t, { conn, dir, x, tr }) => {
      const p = join(dir, 'b.conf');
      writeFileSync(p, 'v1\n');
      chownSync(p, uidOf(tr.user), gidOf(tr.user));
      chmodSync(p, 0o604);
      const r = await writeRemoteFile(conn, p, 'v2\n', { backup: true }, x);
      t.match(r.backup, new RegExp(`^${p.replace(/[.]/g, '\\.')}\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~$`));
      t.equal(readFileSync(r.backup!, 'utf8'), 'v1\n');
      t.equal(mode(r.backup!), 0o604, 'the backup keeps the mode');
      t.equal(readFileSync(p, 'utf8'), 'v2\n');
      const fresh = await writeRemoteFile(conn, join(dir, 'fresh'), 'x', { backup: true }, x);
      t.equal(fresh.backup, undefined, 'nothing to back up for a new file');
    },
  ],
  [
    'validate: passes on the new content (%s is the temp file)',
    async (t, { conn, dir, x, tr }) => {
      const p = join(dir, 'v.conf');
      seed(p, 'good old\n', tr);
      await writeRemoteFile(conn, p, 'good new\n', { validate: 'grep -q "^good" %s' }, x);
      t.equal(readFileSync(p, 'utf8'), 'good new\n');
      t.same(leftovers(dir), []);
    },
  ],
  [
    'validate fails: EVALIDATE with its output, the old file untouched, no temp file',
    async (t, { conn, dir, x, tr }) => {
      const p = join(dir, 'v.conf');
      seed(p, 'good old\n', tr);
      const ino = statSync(p).ino;
      const e = await writeRemoteFile(conn, p, 'bad\n', { validate: 'sh -c \'echo "line 1: bad syntax in $1" >&2; exit 1\' _ %s', backup: true }, x).catch((err) => err);
      t.ok(e instanceof FileError, String(e));
      t.equal(e.code, 'EVALIDATE');
      t.match(e.detail, /line 1: bad syntax in .*\.tsplay-/);
      t.equal(readFileSync(p, 'utf8'), 'good old\n');
      t.equal(statSync(p).ino, ino, 'the same file');
      t.same(readdirSync(dir), ['v.conf'], 'no temp file, no backup');
      await t.rejects(writeRemoteFile(conn, p, 'x', { validate: 'true' }, x), /must contain %s/);
    },
  ],
  [
    'hostile path names are written where they say',
    async (t, { conn, dir, x }) => {
      const p = join(dir, `a b'c"$(touch pwned)\`x\`;.conf`);
      await writeRemoteFile(conn, p, 'ok', {}, x);
      t.equal(readFileSync(p, 'utf8'), 'ok');
      t.notOk(existsSync(join(dir, 'pwned')));
      t.notOk(existsSync('pwned'));
      const [f] = (await runReads(conn, [reads.file(p)], x)) as [RemoteFile];
      t.equal(f.exists && f.text, 'ok');
    },
  ],
  [
    'reads: absent, a directory, a file; several in one round trip',
    async (t, { conn, dir, x, tr }) => {
      seed(join(dir, 'f'), 'content', tr);
      const c = counting(conn);
      const [absent, d, f, s, none, cmd] = await runReads(
        c,
        [reads.file(join(dir, 'nope')), reads.file(dir), reads.file(join(dir, 'f')), reads.stat(join(dir, 'f')), reads.stat(join(dir, 'nope')), reads.command('echo out; echo err >&2; exit 3')],
        x,
      );
      t.equal(c.execs, 1, 'one round trip for six reads');
      t.match(absent, { exists: false, stat: null, content: null });
      t.match(d, { exists: true, stat: { isDirectory: true }, content: null });
      t.match(f, { exists: true, text: 'content', stat: { isFile: true, size: 7 } });
      t.match(s, { isFile: true, size: 7, isSymlink: false });
      t.equal(none, null);
      t.same(cmd, { rc: 3, stdout: 'out\n', stderr: 'err\n' }, "a command's failure is data");
    },
  ],
  [
    'reads run as the become user',
    async (t, { conn, x, tr }) => {
      const [who] = await runReads(conn, [reads.command('id -un', (r) => r.stdout.trim())], x);
      t.equal(who, tr.user);
    },
  ],
  [
    'an unreadable file is EACCES, not absent',
    async (t, { conn, dir, x, tr }) => {
      const p = join(dir, 'secret');
      writeFileSync(p, 's');
      chownSync(p, 0, 0);
      chmodSync(p, 0o600);
      const [f] = (await runReads(conn, [reads.file(p)].map((r) => ({ ...r, parse: (s: never) => { try { return r.parse(s); } catch (e) { return e; } } })), x)) as unknown[];
      if (tr.user === 'root') t.match(f, { exists: true, text: 's' });
      else t.ok(f instanceof FileError && f.code === 'EACCES', String(f));
    },
  ],
  [
    'get() of a missing file is FileError ENOENT; stat() is null',
    async (t, { conn, dir, x }) => {
      const e = await conn.get(join(dir, 'missing'), { become: x.become }).catch((err) => err);
      t.ok(e instanceof FileError, String(e));
      t.equal(e.code, 'ENOENT');
      t.equal(await conn.stat(join(dir, 'missing'), { become: x.become }), null);
    },
  ],
  [
    'remove: a file, nothing, a directory',
    async (t, { conn, dir, x, tr }) => {
      const p = join(dir, 'r');
      seed(p, '', tr);
      t.equal(await removeRemoteFile(conn, p, x), true);
      t.notOk(existsSync(p));
      t.equal(await removeRemoteFile(conn, p, x), false, 'already gone: no change');
      mkdirSync(join(dir, 'sub'));
      chownSync(join(dir, 'sub'), uidOf(tr.user), gidOf(tr.user));
      await t.rejects(removeRemoteFile(conn, join(dir, 'sub'), x), /is a directory/);
    },
  ],
  [
    'a write interrupted half-way never leaves a partial file',
    async (t, { conn, dir, x, tr }) => {
      const p = join(dir, 'victim.conf');
      seed(p, 'the old content\n', tr);
      const big = randomBytes(256 * 1024 * 1024);
      const abort = new AbortController();
      const write = writeRemoteFile(conn, p, big, {}, { ...x, signal: abort.signal }).then(
        () => 'finished',
        (e: Error) => e,
      );
      // Wait until the temp file beside the target has part of the content.
      const started = Date.now();
      let partial = 0;
      while (Date.now() - started < 30_000) {
        const tmp = leftovers(dir)[0];
        partial = tmp ? statSync(join(dir, tmp)).size : 0;
        if (partial > 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      t.ok(partial > 0 && partial < big.length, `cut during the transfer (${partial} of ${big.length} bytes there)`);
      await tr.interrupt(write, abort);
      const outcome = await write;
      t.not(outcome, 'finished', 'the write did not complete');
      // The remote script notices the short input (or the signal) and cleans up.
      for (let i = 0; i < 100 && leftovers(dir).length; i++) await new Promise((r) => setTimeout(r, 50));
      t.equal(readFileSync(p, 'utf8'), 'the old content\n', 'the target holds the old content, whole');
      t.same(leftovers(dir), [], 'and the partial temp file is gone');
    },
  ],
];

t.test(`conformance: ${cases.length} cases × ${transports.length} transports`, async (t) => {
  for (const tr of transports) {
    t.test(tr.name, async (t) => {
      t.teardown(() => tr.conn().close());
      for (const [name, run] of cases) {
        await t.test(name, async (t) => {
          await run(t, { tr, conn: tr.conn(), dir: tr.dir(), x: { become: tr.become } });
        });
      }
    });
  }
});
