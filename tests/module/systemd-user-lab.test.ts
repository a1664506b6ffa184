/**
 * systemd with `scope: user` against a real user manager: the lab's sudo user
 * gets one by lingering (`loginctl enable-linger`, as an operator gives a
 * service account its manager), and the module runs as that user without
 * become, as Ansible's `scope: user` tasks do. The lab image has no
 * pam_systemd (a login would start session units the check-mode proofs must
 * not see), so a runtime drop-in gives the manager the XDG_RUNTIME_DIR that
 * pam_systemd would. Each case runs in check mode
 * (the prediction, nothing changed), for real (what `systemctl --user` then
 * says) and again (nothing left to change). Teardown removes the unit and
 * the linger.
 */
import t from 'tap';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule, type ModuleCase } from '../../lib/testing/index.js';
import { LAB_SUDO_USER, ensureLabUp, labExec, labHostVars, waitUntil } from '../helpers/lab.js';

const HOST = 'master-0';
const UNIT = `tsplay-user-${process.pid}.service`;
const UNIT_DIR = `/home/${LAB_SUDO_USER}/.config/systemd/user`;
const WANTS = `${UNIT_DIR}/default.target.wants/${UNIT}`;

/** systemctl in the user's own manager, run on the host as that user. */
const userctl = (args: string) => `runuser -u ${LAB_SUDO_USER} -- env XDG_RUNTIME_DIR=/run/user/$(id -u ${LAB_SUDO_USER}) systemctl --user ${args}`;
const unitFile = `mkdir -p ${UNIT_DIR} && printf '%s\\n' '[Service]' 'ExecStart=/bin/sleep infinity' '[Install]' 'WantedBy=default.target' > ${UNIT_DIR}/${UNIT} && systemctl --user daemon-reload`;

/** What pam_systemd sets for the user's manager, as a drop-in under /run (gone at the next boot). */
const DROPIN_DIR = '/run/systemd/system/user@.service.d';
const DROPIN = `${DROPIN_DIR}/tsplay-test-runtime-dir.conf`;

await ensureLabUp();
await labExec(HOST, `mkdir -p ${DROPIN_DIR} && printf '%s\\n' '[Service]' 'Environment=XDG_RUNTIME_DIR=/run/user/%i' > ${DROPIN} && systemctl daemon-reload && loginctl enable-linger ${LAB_SUDO_USER}`);
t.teardown(async () => {
  await labExec(HOST, `${userctl(`disable --now ${UNIT}`)}; rm -f ${UNIT_DIR}/${UNIT}; ${userctl('daemon-reload')}; loginctl disable-linger ${LAB_SUDO_USER}; systemctl stop user@$(id -u ${LAB_SUDO_USER}).service; rm -f ${DROPIN}; rmdir ${DROPIN_DIR} 2>/dev/null; systemctl daemon-reload; true`);
});
await waitUntil(`${LAB_SUDO_USER}'s user manager runs`, async () => (await labExec(HOST, userctl('is-system-running'))).stdout.trim() === 'running');

const host = { name: HOST, vars: labHostVars(HOST) };

// `setup` runs as the connection user (the case has no become), in the user's manager.
const userSetup = (more: string) => `export XDG_RUNTIME_DIR=/run/user/$(id -u) && ${unitFile} && ${more}`;

const cases: ModuleCase[] = [
  {
    name: "started and enabled in the user's manager",
    setup: userSetup(`systemctl --user disable --now ${UNIT}`),
    args: { name: UNIT, scope: 'user', state: 'started', enabled: true },
    plan: { changed: true },
    result: { name: UNIT, state: 'started', enabled: true },
  },
  {
    name: 'stopped, and left stopped',
    setup: userSetup(`systemctl --user start ${UNIT}`),
    args: { name: UNIT, scope: 'user', state: 'stopped' },
    plan: { changed: true },
    result: { state: 'stopped' },
  },
  {
    name: 'restarted always acts',
    setup: userSetup(`systemctl --user start ${UNIT}`),
    args: { name: UNIT, scope: 'user', state: 'restarted' },
    plan: { changed: true },
    idempotent: false,
  },
  {
    name: 'a unit only the system manager has is unknown to the user manager',
    args: { name: 'sshd.service', scope: 'user', state: 'started' },
    plan: { changed: false, failed: /Could not find the requested service sshd\.service/ },
  },
];

t.test("systemd scope: user on a lab host's real user manager", async (t) => {
  const def = await new ModuleRegistry().get('systemd');
  for (const r of await testModule(def, cases.slice(0, 1), { host })) t.same(r.problems, [], r.name);
  t.equal((await labExec(HOST, userctl(`is-active ${UNIT}`))).stdout.trim(), 'active', "the user's manager runs the unit");
  t.equal((await labExec(HOST, `test -L ${WANTS} && echo linked`)).stdout.trim(), 'linked', "enabled in the user's own default.target.wants");
  t.not((await labExec(HOST, `systemctl is-active ${UNIT}`)).stdout.trim(), 'active', 'the system manager never had it');

  for (const r of await testModule(def, cases.slice(1), { host })) t.same(r.problems, [], r.name);
  t.equal((await labExec(HOST, userctl(`is-active ${UNIT}`))).stdout.trim(), 'active', 'restarted leaves it running');
});
