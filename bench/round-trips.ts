/**
 * Round trips per host for a line edit under become, through the engine,
 * against a real sshd on this machine. Counts what goes over the wire
 * (exec channels, SFTP sessions, SFTP requests: see round-trip-counter.ts),
 * not wall time. Run as root: npm run bench:round-trips
 *
 *   kit:    the edit as a kit module: reads declared (one batched exec with
 *           become), write through the atomic primitive (one exec).
 *   legacy: the calls a module had to make before the kit (stat and get in
 *           plan, put in apply, each passing become), on today's connection.
 *   before: the legacy calls on the connection before the kit (commit
 *           d6ea196, same counter), recorded here: put under become was an
 *           SFTP upload to /tmp plus an install command.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '../lib/connection/types.js';
import { createConnection } from '../lib/connection/factory.js';
import { runPlaybook } from '../lib/engine/run.js';
import { defineModule, fileDiff, reads } from '../lib/module/kit.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, TEST_USER } from '../tests/helpers/sshd.js';
import { countRoundTrips, type Counts } from './round-trip-counter.js';

interface Args {
  path: string;
  regexp: string;
  line: string;
}

function edit(text: string, a: Args): string {
  const re = new RegExp(a.regexp, 'm');
  return re.test(text) ? text.replace(re, a.line) : `${text}${a.line}\n`;
}

const schema = { type: 'object', properties: { path: { type: 'string' }, regexp: { type: 'string' }, line: { type: 'string' } } };

const kitEdit = defineModule<Args, string>({
  name: 'line_edit',
  description: 'A line edit on the kit.',
  examples: [],
  schema,
  reads: (a) => [reads.file(a.path)],
  async plan(a, { host }) {
    const f = await host.read(a.path);
    const before = f.text ?? '';
    const after = edit(before, a);
    return { changed: after !== before, diff: [fileDiff(a.path, before, after)].filter(() => after !== before), state: after };
  },
  async apply(a, { host }, plan) {
    await host.write(a.path, plan.state!);
    return { changed: true };
  },
});

/** The same edit the way a module had to do it before the kit: raw connection calls, become passed by hand. */
function legacyEdit(connOf: () => Connection) {
  return defineModule<Args, string>({
    name: 'line_edit',
    description: 'A line edit with raw connection calls.',
    examples: [],
    schema,
    async plan(a, ctx) {
      const become = ctx.host.becomeUser ? { user: ctx.host.becomeUser } : undefined;
      const conn = connOf();
      const st = await conn.stat(a.path, { become });
      const before = st ? (await conn.get(a.path, { become })).toString() : '';
      const after = edit(before, a);
      return { changed: after !== before, state: after };
    },
    async apply(a, ctx, plan) {
      const become = ctx.host.becomeUser ? { user: ctx.host.becomeUser } : undefined;
      await connOf().put(a.path, plan.state!, { become });
      return { changed: true };
    },
  });
}

/** Measured at d6ea196 with round-trip-counter.ts, the legacy calls through the engine. */
const BEFORE = {
  changed: { exec: 3, sftpSession: 1, sftp: 5, note: 'stat (exec), get (exec); put: SFTP session, open, write, fsetstat, fsync, close of a /tmp file, then an install exec' },
  unchanged: { exec: 2, sftpSession: 0, sftp: 0, note: 'stat (exec), get (exec)' },
};

ensureTestUsers();
const dir = tempDir('round-trips');
const key = makeKey(dir, 'id_ed25519');
const sshd = await startSshd({ address: '127.0.20.95', authorized: { [TEST_USER]: [key.line] } });
const knownHosts = join(dir, 'known_hosts');
writeFileSync(knownHosts, sshd.knownHostsLines().join('\n') + '\n');
// Root's directory: the login user cannot read or write there without become.
const data = join(dir, 'root-only');
mkdirSync(data, { mode: 0o700 });
chmodSync(data, 0o700);
const file = join(data, 'app.conf');

const hostVars = {
  ansible_host: sshd.address,
  ansible_port: sshd.port,
  ansible_user: TEST_USER,
  ansible_ssh_private_key_file: key.private,
  ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
};

async function measure(kind: 'kit' | 'legacy', port: string): Promise<Counts> {
  let conn: Connection | undefined;
  const module = kind === 'kit' ? kitEdit : legacyEdit(() => conn!);
  // The SSH handshake is not counted (the counter sees exec and SFTP only): it is the same for both.
  return countRoundTrips(async () => {
    const r = await runPlaybook({
      modules: [module],
      inventory: { all: { hosts: { web1: hostVars } } },
      playbook: { plays: [{ hosts: 'all', gather_facts: false, become: true, tasks: [{ line_edit: { path: file, regexp: '^port=.*$', line: `port=${port}` } }] }] },
      connectionFactory: (h, v, o) => (conn = createConnection(h, v, o)),
    });
    if (r.exitCode !== 0) throw new Error(`the run failed: ${JSON.stringify(r.failures)}`);
  });
}

const fmt = (c: { exec: number; sftpSession: number; sftp: number }) =>
  `${String(c.exec + c.sftpSession + c.sftp).padStart(2)} round trips (${c.exec} exec, ${c.sftpSession} SFTP session, ${c.sftp} SFTP requests)`;

try {
  const rows: string[] = [];
  for (const kind of ['legacy', 'kit'] as const) {
    writeFileSync(file, 'name=app\nport=80\nworkers=4\n', { mode: 0o640 });
    const changed = await measure(kind, '8080');
    const unchanged = await measure(kind, '8080');
    if (!readFileSync(file, 'utf8').includes('port=8080')) throw new Error(`${kind}: the edit did not happen`);
    rows.push(`${kind.padEnd(7)} changed:   ${fmt(changed)}`, `${kind.padEnd(7)} unchanged: ${fmt(unchanged)}`);
    if (process.argv.includes('-v')) console.log(kind, changed.log, unchanged.log);
  }
  console.log('Round trips per host for one line edit under become (sudo), one task, over SSH:');
  console.log(`before  changed:   ${fmt(BEFORE.changed)}  [recorded at d6ea196]`);
  console.log(`before  unchanged: ${fmt(BEFORE.unchanged)}  [recorded at d6ea196]`);
  for (const r of rows) console.log(r);
} finally {
  await sshd.stop();
}
