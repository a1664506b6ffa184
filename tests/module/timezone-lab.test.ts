/**
 * timezone changing a real host's zone (lab host master-1): with systemd's
 * timedated (`timedatectl set-timezone`), and, with timedated masked, the way
 * Ansible's NosystemdTimezone does it (/etc/timezone and the /etc/localtime
 * link), with Ansible's warning. Each case in check mode (nothing changes),
 * for real, and again (nothing left to change). The host's zone files are
 * put back as found in teardown.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule, type ModuleCase } from '../../lib/testing/index.js';
import { ensureLabUp, labExec, labHostVars } from '../helpers/lab.js';

const HOST = 'master-1';
const host = {
  name: HOST,
  vars: labHostVars(HOST),
};

await ensureLabUp();

/** What the host's zone is now, as a user checks it: where /etc/localtime points, and /etc/timezone. */
async function zone(): Promise<{ link: string; file: string }> {
  const r = await labExec(HOST, 'readlink /etc/localtime; echo ---; cat /etc/timezone 2>/dev/null || echo "(none)"');
  const [link, file] = r.stdout.split('---\n');
  return { link: link.trim(), file: file.trim() };
}

// Lab hosts carry no tzdata: the zones the cases use are copied from this machine, and removed again in teardown.
const ZONES = ['Etc/UTC', 'Europe/Paris', 'Asia/Tokyo', 'America/New_York'];
const hadZoneinfo = (await labExec(HOST, 'test -d /usr/share/zoneinfo')).rc === 0;
const added: string[] = [];
for (const z of ZONES) {
  const path = `/usr/share/zoneinfo/${z}`;
  if ((await labExec(HOST, `test -e ${path}`)).rc === 0) continue;
  const b64 = readFileSync(path).toString('base64');
  const r = await labExec(HOST, `mkdir -p ${dirname(path)} && echo ${b64} | base64 -d > ${path}.tmp && mv ${path}.tmp ${path}`);
  if (r.rc !== 0) throw new Error(`could not copy ${path} to ${HOST}: ${r.stderr}`);
  added.push(path);
}

// /etc/localtime and /etc/timezone as found (a link, a file, or nothing), kept aside and put back.
const BACKUP = '/root/.tsplay-timezone-test';
const saved = await labExec(HOST, `rm -rf ${BACKUP} && mkdir ${BACKUP} && for f in localtime timezone; do if [ -e /etc/$f ] || [ -L /etc/$f ]; then cp -a /etc/$f ${BACKUP}/$f; fi; done`);
if (saved.rc !== 0) throw new Error(`could not keep ${HOST}'s zone files aside: ${saved.stderr}`);
const restore = [
  'systemctl unmask systemd-timedated.service',
  `for f in localtime timezone; do if [ -e ${BACKUP}/$f ] || [ -L ${BACKUP}/$f ]; then mv -Tf ${BACKUP}/$f /etc/$f; else rm -f /etc/$f; fi; done; rmdir ${BACKUP}`,
  added.length === 0 ? 'true' : hadZoneinfo ? `rm -f ${added.join(' ')}; rmdir --ignore-fail-on-non-empty ${[...new Set(added.map((p) => dirname(p)))].join(' ')}` : 'rm -rf /usr/share/zoneinfo',
].join('; ');
t.teardown(() => labExec(HOST, restore));

const withTimedated = 'systemctl unmask systemd-timedated.service; timedatectl set-timezone Etc/UTC';
const withoutTimedated = `systemctl stop systemd-timedated.service; systemctl mask systemd-timedated.service; ln -sfn /usr/share/zoneinfo/Etc/UTC /etc/localtime; printf '%s\\n' Etc/UTC > /etc/timezone`;

t.test('timezone with timedatectl (systemd)', async (t) => {
  const cases: ModuleCase[] = [
    {
      name: 'a new zone is set through timedated',
      become: true,
      setup: withTimedated,
      args: { name: 'Europe/Paris' },
      plan: { changed: true },
      diff: [{ before: '{\n    "name": "Etc/UTC"\n}\n', after: '{\n    "name": "Europe/Paris"\n}\n' }],
      checkResult: { diff: { before: { name: 'Etc/UTC' }, after: { name: 'Europe/Paris' } } },
      result: { diff: { before: { name: 'Etc/UTC' }, after: { name: 'Europe/Paris' } }, msg: /^executed `\/usr\/bin\/timedatectl set-timezone Europe\/Paris`$/ },
    },
    {
      name: 'the zone it already has changes nothing',
      become: true,
      setup: 'timedatectl set-timezone Asia/Tokyo',
      args: { name: 'Asia/Tokyo' },
      plan: { changed: false },
      result: { diff: { before: { name: 'Asia/Tokyo' }, after: { name: 'Asia/Tokyo' } } },
    },
  ];
  const def = await new ModuleRegistry().get('timezone');
  for (const r of await testModule(def, cases, { host })) t.same(r.problems, [], r.name);
  t.match((await zone()).link, /(^|\/)usr\/share\/zoneinfo\/Asia\/Tokyo$/, '/etc/localtime points at the zone set');
  const date = await labExec(HOST, 'date +%Z');
  t.equal(date.stdout.trim(), 'JST', 'date on the host tells the zone');
});

t.test('timezone without a usable timedatectl: /etc/timezone and /etc/localtime, with Ansible\'s warning', async (t) => {
  const cases: ModuleCase[] = [
    {
      name: 'the zone goes into /etc/timezone and the link',
      become: true,
      setup: withoutTimedated,
      args: { name: 'America/New_York' },
      plan: { changed: true },
      checkResult: { diff: { before: { name: 'Etc/UTC' }, after: { name: 'America/New_York' } } },
      result: { msg: 'Added 1 line and deleted 1 line(s) on /etc/timezone' },
      expect: { '/etc/timezone': 'America/New_York\n' },
    },
  ];
  const def = await new ModuleRegistry().get('timezone');
  for (const r of await testModule(def, cases, { host })) {
    // Ansible warns each time timedatectl is there but does not work; that warning is expected here, nothing else.
    const problems = r.problems.filter((p) => !/warned: master-1: timedatectl command was found but not usable: .+\. using other method\.$/.test(p));
    t.same(problems, [], r.name);
    t.ok(r.problems.some((p) => /warned: master-1: timedatectl command was found but not usable: Failed to query server: Unit systemd-timedated.service is masked/.test(p)), "Ansible's warning is given");
  }
  t.same(await zone(), { link: '/usr/share/zoneinfo/America/New_York', file: 'America/New_York' }, 'the link and the file name the zone');
});
