/**
 * apt for real on a lab host (Debian 12, no package sources of its own):
 * from a repository the test builds and copies into the host, the apt
 * table's cases that install, upgrade, remove, purge, autoremove and update
 * the lists, each checked in check mode (the prediction), for real (the
 * packages' files on disk) and again (nothing left to change). The host's
 * packages, lists and sources are as they were afterwards.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countRoundTrips, total } from '../../bench/round-trip-counter.js';
import { runPlaybook } from '../../lib/engine/run.js';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule, type ModuleCase } from '../../lib/testing/index.js';
import { REPO_ON_HOST, buildAptRepo, installAptRepo, installedVersion, removeAptRepo } from '../helpers/apt-repo.js';
import { ensureLabUp, labExec, labHostVars } from '../helpers/lab.js';

const HOST = 'master-0';
await ensureLabUp();
const dir = mkdtempSync(join(tmpdir(), 'tsplay-apt-lab-'));
const repo = buildAptRepo(dir);
await removeAptRepo(HOST);
await installAptRepo(HOST, repo);
t.teardown(async () => {
  await removeAptRepo(HOST);
  rmSync(dir, { recursive: true, force: true });
});

const host = {
  name: HOST,
  vars: labHostVars(HOST),
};

const APT = 'DEBIAN_FRONTEND=noninteractive apt-get -qq -y';
const fresh = `${APT} update >/dev/null`;
const purgeAll = 'dpkg --purge tsplay-demo tsplay-app tsplay-lib >/dev/null';
const version = '/usr/share/tsplay-demo/version';
const conf = '/etc/tsplay-demo.conf';

const cases: ModuleCase[] = [
  {
    name: 'stale lists are updated once within cache_valid_time',
    become: true,
    // The lists as if last updated in 2000.
    setup: 'rm -f /var/lib/apt/lists/*tsplay-apt-test*; touch -d @946684800 /var/lib/apt/lists',
    args: { update_cache: true, cache_valid_time: 3600 },
    plan: { changed: true },
    checkResult: { cache_updated: true, cache_update_time: 946684800 },
    result: { cache_updated: true },
  },
  {
    name: 'a pinned version is installed, without recommends',
    become: true,
    setup: `${fresh}; ${purgeAll}`,
    args: { name: 'tsplay-demo=1.*', install_recommends: false },
    plan: { changed: true },
    diff: [{ before: 'tsplay-demo (not installed)\n', after: 'tsplay-demo 1.0\n' }],
    checkResult: { stdout: /Inst tsplay-demo \(1\.0/, cache_updated: false },
    result: { stdout: /Setting up tsplay-demo \(1\.0\)/, cache_updated: false },
    expect: { [version]: '1.0\n', [conf]: '# tsplay-demo 1.0\n' },
  },
  {
    name: 'latest upgrades to the candidate',
    become: true,
    setup: `${fresh}; ${purgeAll}; ${APT} install tsplay-demo=1.0 >/dev/null`,
    args: { name: ['tsplay-demo'], state: 'latest' },
    plan: { changed: true },
    diff: [{ before: 'tsplay-demo 1.0\n', after: 'tsplay-demo 2.0\n' }],
    expect: { [version]: '2.0\n' },
  },
  {
    name: 'present leaves an older installed version alone',
    become: true,
    setup: `${fresh}; ${purgeAll}; ${APT} install tsplay-demo=1.0 >/dev/null`,
    args: { name: 'tsplay-demo' },
    plan: { changed: false },
    result: { cache_updated: false },
    expect: { [version]: '1.0\n' },
  },
  {
    name: 'a dependency comes with the package',
    become: true,
    setup: `${fresh}; ${purgeAll}`,
    args: { pkg: 'tsplay-app' },
    plan: { changed: true },
    expect: { '/usr/share/tsplay-lib/version': '1.0\n', '/usr/share/tsplay-app/version': '1.0\n' },
  },
  {
    name: 'absent removes the package and keeps its configuration',
    become: true,
    setup: `${fresh}; ${purgeAll}; ${APT} install tsplay-demo >/dev/null`,
    args: { name: 'tsplay-demo', state: 'absent' },
    plan: { changed: true },
    diff: [{ before: 'tsplay-demo 2.0\n', after: 'tsplay-demo (not installed)\n' }],
    expect: { [version]: null, [conf]: '# tsplay-demo 2.0\n' },
  },
  {
    name: 'purge removes what a removal left',
    become: true,
    setup: `${fresh}; ${purgeAll}; ${APT} install tsplay-demo >/dev/null; ${APT} remove tsplay-demo >/dev/null`,
    args: { name: 'tsplay-demo', state: 'absent', purge: true },
    plan: { changed: true },
    expect: { [conf]: null },
  },
  {
    name: 'autoremove removes a dependency nothing needs any more',
    become: true,
    setup: `${fresh}; ${purgeAll}; ${APT} install tsplay-app >/dev/null; ${APT} remove tsplay-app >/dev/null`,
    args: { autoremove: true },
    plan: { changed: true },
    expect: { '/usr/share/tsplay-lib/version': null },
  },
  {
    name: 'a .deb file on the host is installed, and not again',
    become: true,
    setup: `${purgeAll}`,
    args: { deb: `${REPO_ON_HOST}/tsplay-demo_1.0_all.deb` },
    plan: { changed: true },
    diff: [{ before: 'tsplay-demo (not installed)\n', after: 'tsplay-demo 1.0\n' }],
    expect: { [version]: '1.0\n' },
  },
  {
    name: 'a version no source has is an error',
    become: true,
    setup: `${fresh}; ${purgeAll}`,
    args: { name: 'tsplay-demo=3.*' },
    plan: { changed: false, failed: /no available installation candidate for tsplay-demo=3\.\*/ },
  },
];

const registry = new ModuleRegistry();

t.test('apt on a lab host, from a local repository', async (t) => {
  const def = await registry.get('apt');
  for (const r of await testModule(def, cases, { host })) t.same(r.problems, [], r.name);
});

t.test('check mode installs nothing; a second run with nothing to change takes one round trip', async (t) => {
  await labExec(HOST, `${fresh}; ${purgeAll}`);
  const inventory = { all: { hosts: { [HOST]: host.vars } } };
  const playbook = { plays: [{ hosts: HOST, gather_facts: false, become: true, tasks: [{ apt: { name: ['tsplay-demo', 'tsplay-app'] } }] }] };
  const check = await runPlaybook({ inventory, playbook, check: true });
  t.equal(check.stats[HOST].changed, 1, 'check mode reports the change');
  t.equal(await installedVersion(HOST, 'tsplay-demo'), '', 'and installs nothing');
  const real = await runPlaybook({ inventory, playbook });
  t.equal(real.stats[HOST].changed, 1);
  t.equal(await installedVersion(HOST, 'tsplay-demo'), '2.0');
  t.equal(await installedVersion(HOST, 'tsplay-lib'), '1.0');
  let again: Awaited<ReturnType<typeof runPlaybook>> | undefined;
  const aptTrips = await countRoundTrips(async () => (again = await runPlaybook({ inventory, playbook })));
  t.equal(again!.stats[HOST].changed, 0, 'a second run changes nothing');
  // The whole run is one command on the host: the probe rides with the connection's become check.
  t.equal(total(aptTrips), 1, `apt with nothing to change is one round trip (${aptTrips.log.join('; ')})`);
});
