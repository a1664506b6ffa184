/**
 * systemd's masked and daemon_reexec on a lab host's real systemd: each case
 * in check mode (the prediction), for real (what systemctl then says) and
 * again (nothing left to change). Every unit is the test's own (named with
 * its pid); teardown unmasks and removes them.
 */
import t from 'tap';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule, type ModuleCase } from '../../lib/testing/index.js';
import { ensureLabUp, labExec, labHostVars } from '../helpers/lab.js';

const HOST = 'master-0';
const tag = `tsplay-systemd-${process.pid}`;
const UNIT = `${tag}.service`;
const NONE = `${tag}-none.service`;
/** Not /etc/systemd/system: mask puts its link there, and a unit file of that name would be in the way. */
const UNIT_FILE = `/usr/local/lib/systemd/system/${UNIT}`;

await ensureLabUp();

const host = {
  name: HOST,
  vars: labHostVars(HOST),
};

const unitFile = `mkdir -p /usr/local/lib/systemd/system && printf '%s\\n' '[Service]' 'ExecStart=/bin/sleep infinity' '[Install]' 'WantedBy=multi-user.target' > ${UNIT_FILE} && systemctl daemon-reload`;

t.teardown(() => labExec(HOST, `systemctl unmask ${UNIT} ${NONE}; systemctl disable --now ${UNIT}; rm -f ${UNIT_FILE}; systemctl daemon-reload; true`));

const cases: ModuleCase[] = [
  {
    name: 'a unit is masked, and then left alone',
    become: true,
    setup: `${unitFile} && systemctl unmask ${UNIT}`,
    args: { name: UNIT, masked: true },
    plan: { changed: true },
  },
  {
    name: 'a masked unit is unmasked',
    become: true,
    setup: `${unitFile} && systemctl mask ${UNIT}`,
    args: { name: UNIT, masked: false },
    plan: { changed: true },
  },
  {
    name: 'a unit that is not installed can be masked',
    become: true,
    setup: `systemctl unmask ${NONE}`,
    args: { name: NONE, masked: true },
    plan: { changed: true },
  },
  {
    name: 'masked and started together: the masked unit cannot start',
    become: true,
    setup: `${unitFile} && systemctl unmask ${UNIT} && systemctl stop ${UNIT}`,
    args: { name: UNIT, masked: true, state: 'started' },
    plan: { changed: true },
    applied: { changed: false, failed: /start -- .* failed .*masked/ },
  },
  {
    name: 'daemon_reexec always runs',
    become: true,
    args: { daemon_reexec: true },
    plan: { changed: true },
    idempotent: false,
  },
];

t.test('systemd additions on a lab host', async (t) => {
  const def = await new ModuleRegistry().get('systemd');
  for (const r of await testModule(def, cases, { host })) t.same(r.problems, [], r.name);
  const masked = await labExec(HOST, `systemctl is-enabled ${UNIT} ${NONE}`);
  t.same(masked.stdout.trim().split('\n'), ['masked', 'masked'], 'systemctl says both are masked');
});
