/**
 * copy and template report the file they leave (owner, group, mode, size,
 * state: Ansible's path attributes) from the write's own round trip: a file
 * written, a file already holding the bytes, and a mode fixed are each one
 * exec on the host, and what they report is what the file system says.
 */
import t from 'tap';
import { chmodSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import type { RunEvent } from '../../lib/output/events.js';
import { countingConnections } from '../helpers/exec-counter.js';

const local = { all: { hosts: { h1: { ansible_connection: 'local' } } } };

/** Runs one task on h1 (local): its result and the execs it took. */
async function runTask(task: Record<string, unknown>, dir: string) {
  const events: RunEvent[] = [];
  const counter = countingConnections();
  writeFileSync(join(dir, 'motd.j2'), 'hello {{ who }}\n');
  // A playbook file in dir, so template's src is found beside it (JSON is YAML).
  const playbookFile = join(dir, 'play.yml');
  writeFileSync(playbookFile, JSON.stringify([{ hosts: 'all', gather_facts: false, vars: { who: 'world' }, tasks: [task] }]));
  const r = await runPlaybook({
    inventory: local,
    playbooks: [playbookFile],
    reporters: [(e) => events.push(e)],
    connectionFactory: counter.factory,
  });
  const [res] = events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result');
  return { exitCode: r.exitCode, status: res.status, result: res.result as Record<string, unknown>, execs: counter.execs() };
}

/** Ansible's path attributes of `path`, from the file system. */
function onDisk(path: string) {
  const s = statSync(path);
  const me = userInfo();
  return { uid: s.uid, gid: s.gid, owner: s.uid === me.uid ? me.username : String(s.uid), mode: '0' + (s.mode & 0o7777).toString(8).padStart(3, '0'), size: s.size, state: 'file' };
}

const pick = (r: Record<string, unknown>) => ({ uid: r.uid, gid: r.gid, owner: r.owner, mode: r.mode, size: r.size, state: r.state });

for (const [name, args] of [
  ['copy', (dest: string) => ({ copy: { content: 'hello world\n', dest } })],
  ['template', (dest: string) => ({ template: { src: 'motd.j2', dest } })],
] as const) {
  t.test(`${name}: written, unchanged and a mode fixed, each one round trip reporting the file as it is`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-put-trips-'));
    const dest = join(dir, 'motd');

    const written = await runTask(args(dest), dir);
    t.equal(written.status, 'changed');
    t.equal(readFileSync(dest, 'utf8'), 'hello world\n');
    t.equal(written.execs, 1, 'a new file: one exec');
    t.same(pick(written.result), onDisk(dest), 'the attributes reported are the file\'s');

    const again = await runTask(args(dest), dir);
    t.equal(again.status, 'ok');
    t.equal(again.execs, 1, 'nothing to change: one exec');
    t.same(pick(again.result), onDisk(dest));

    chmodSync(dest, 0o600);
    const task = args(dest);
    const withMode = { [name]: { ...Object.values(task)[0], mode: '0640' } };
    const fixed = await runTask(withMode, dir);
    t.equal(fixed.status, 'changed');
    t.equal(statSync(dest).mode & 0o7777, 0o640);
    t.equal(fixed.execs, 1, 'only the mode differs: one exec');
    t.same(pick(fixed.result), onDisk(dest), 'the mode reported is the new one');
    t.equal(fixed.result.mode, '0640');
  });
}

t.test('a followed link: the attributes are read of dest itself, as before', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-put-trips-'));
  writeFileSync(join(dir, 'target'), 'old\n');
  symlinkSync(join(dir, 'target'), join(dir, 'link'));
  const r = await runTask({ copy: { content: 'new\n', dest: join(dir, 'link'), follow: true } }, dir);
  t.equal(r.status, 'changed');
  t.equal(readFileSync(join(dir, 'target'), 'utf8'), 'new\n');
  t.equal(r.result.state, 'link', 'dest is the link');
});
