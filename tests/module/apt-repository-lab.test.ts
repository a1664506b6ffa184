/**
 * apt_repository for real on a lab host (Debian 12, no package sources of its
 * own): the test's own repository is copied into the host without a sources
 * entry, then apt_repository adds its `file:` line with update_cache, and
 * apt sees its packages; a second run changes nothing; absent takes the line
 * and the packages away again; an update that fails puts the files back.
 * The host's sources and lists are as they were afterwards.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { REPO_ON_HOST, SOURCES_ON_HOST, buildAptRepo, installAptRepo, removeAptRepo } from '../helpers/apt-repo.js';
import { ensureLabUp, labExec, labHostVars } from '../helpers/lab.js';

const HOST = 'master-0';
const LINE = `deb [trusted=yes] file:${REPO_ON_HOST} ./`;
// Ansible's name for it: the URL's words joined with _ (file:/srv/tsplay-apt-test).
const FILE = '/etc/apt/sources.list.d/file_srv_tsplay_apt_test.list';
const BROKEN = '/etc/apt/sources.list.d/tsplay-broken.list';

await ensureLabUp();
const dir = mkdtempSync(join(tmpdir(), 'tsplay-apt-repository-lab-'));
const repo = buildAptRepo(dir);
/** The host's sources: the names in sources.list.d, and every file's lines. */
const sources = async () => (await labExec(HOST, 'ls -A /etc/apt/sources.list.d; cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null; true')).stdout;
await removeAptRepo(HOST);
const sourcesBefore = await sources();
await installAptRepo(HOST, repo);
// The repository's files stay; its sources entry goes, for apt_repository to add.
await labExec(HOST, `rm -f ${SOURCES_ON_HOST}`);
t.teardown(async () => {
  await removeAptRepo(HOST);
  await labExec(HOST, `rm -f ${FILE} ${BROKEN}; apt-get update >/dev/null 2>&1; true`);
  rmSync(dir, { recursive: true, force: true });
});

const inventory = {
  all: {
    hosts: {
      [HOST]: labHostVars(HOST),
    },
  },
};
const play = (task: Record<string, unknown>) => ({ plays: [{ hosts: HOST, gather_facts: false, become: true, tasks: [task] }] });
const candidate = async () => (await labExec(HOST, 'LANG=C apt-cache policy tsplay-demo 2>/dev/null | sed -n "s/^ *Candidate: //p"')).stdout.trim();
const fileOnHost = async (path: string) => (await labExec(HOST, `stat -c '%a' ${path} 2>/dev/null && cat ${path}; true`)).stdout;

t.test('present with update_cache: the line in its own file, and apt sees the packages', async (t) => {
  const task = play({ apt_repository: { repo: LINE } });
  const check = await runPlaybook({ inventory, playbook: task, check: true });
  t.equal(check.stats[HOST].changed, 1, 'check mode predicts the change');
  t.equal(await fileOnHost(FILE), '', 'and writes nothing');
  t.equal(await candidate(), '', 'nor updates the lists');
  const real = await runPlaybook({ inventory, playbook: task });
  t.equal(real.exitCode, 0, JSON.stringify(real.failures));
  t.equal(real.stats[HOST].changed, 1);
  t.equal(await fileOnHost(FILE), `644\n${LINE}\n`, 'the file Ansible would write, mode 0644');
  t.equal(await candidate(), '2.0', 'apt-get update ran: the repository is known');
  const again = await runPlaybook({ inventory, playbook: task });
  t.equal(again.stats[HOST].changed, 0, 'a second run changes nothing');
});

t.test('absent with update_cache: the file goes, and the packages with it', async (t) => {
  const r = await runPlaybook({ inventory, playbook: play({ apt_repository: { repo: LINE, state: 'absent' } }) });
  t.equal(r.stats[HOST].changed, 1, JSON.stringify(r.failures));
  t.equal(await fileOnHost(FILE), '', 'the file with its only line removed');
  t.equal(await candidate(), '', 'the lists updated: no candidate left');
});

t.test('an update that fails puts the sources back and fails the task', async (t) => {
  const r = await runPlaybook({ inventory, playbook: play({ apt_repository: { repo: 'deb [trusted=yes] file:/srv/tsplay-no-such-repo ./', filename: 'tsplay-broken', update_cache_retries: 1 } }) });
  t.equal(r.exitCode, 2);
  t.match(r.failures[0]?.msg, /^Failed to update apt cache: /);
  t.equal(await fileOnHost(BROKEN), '', 'the new file is gone again');
});

t.test('the host keeps its other sources', async (t) => {
  await removeAptRepo(HOST);
  t.equal(await sources(), sourcesBefore);
});
