/**
 * A task with nothing to change is one round trip to the host: the
 * benchmark's modules work (bench/work/modules.yml: file, copy, assemble,
 * template, lineinfile, blockinfile, replace, known_hosts, command with
 * creates, unarchive of an archive on the host, a link, stat, find, slurp,
 * getent, assert) run twice on one host, counting the execs of each task of
 * the second run.
 */
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlaybook } from '../../lib/engine/run.js';
import type { RunEvent } from '../../lib/output/events.js';
import { countingConnections } from '../helpers/exec-counter.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const root = mkdtempSync(join(tmpdir(), 'tsplay-rerun-trips-'));

/** One run of the work: each task's status and the execs it took, in order. */
async function runWork(): Promise<{ exitCode: number; tasks: Array<{ name: string; status: string; execs: number }> }> {
  const tasks: Array<{ name: string; status: string; execs: number }> = [];
  const counter = countingConnections();
  const r = await runPlaybook({
    playbooks: [join(REPO, 'bench/work/modules.yml')],
    inventory: { all: { children: { bench: { hosts: { h1: { ansible_connection: 'local' } } } } } },
    extraVars: { bench_root: root },
    reporters: [
      (e: RunEvent) => {
        if (e.type !== 'host_result') return;
        tasks.push({ name: String((e as { task?: { name?: string } }).task?.name ?? tasks.length + 1), status: e.status, execs: counter.execs() });
        counter.reset();
      },
    ],
    connectionFactory: counter.factory,
  });
  return { exitCode: r.exitCode, tasks };
}

t.test('the second run: every task ok, each in at most one round trip', async (t) => {
  const first = await runWork();
  t.equal(first.exitCode, 0, 'the first run passes');
  t.equal(first.tasks.filter((x) => x.status === 'changed').length, 15, 'the first run changes 15 of the 20 tasks');
  const second = await runWork();
  t.equal(second.exitCode, 0);
  t.equal(second.tasks.length, 20);
  t.same(second.tasks.filter((x) => x.status !== 'ok'), [], 'nothing changes');
  t.same(second.tasks.filter((x) => x.execs > 1), [], 'no task takes more than one round trip');
});
