/**
 * mount for real on a lab host: a tmpfs mounted from a fstab of the test's
 * own, remounted with new options, unmounted, and removed; each case in
 * check mode (the prediction: nothing mounted), for real (what /proc/mounts
 * then says) and again (nothing left to change). Teardown unmounts and
 * removes the mount point.
 */
import t from 'tap';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule, type ModuleCase } from '../../lib/testing/index.js';
import { ensureLabUp, labExec, labHostVars } from '../helpers/lab.js';

const HOST = 'master-0';
const MNT = `/mnt/tsplay-mount-${process.pid}`;

await ensureLabUp();
t.teardown(() => labExec(HOST, `umount ${MNT} 2>/dev/null; rmdir ${MNT} 2>/dev/null; true`));

const host = {
  name: HOST,
  vars: labHostVars(HOST),
};

const entry = (opts: string) => `tmpfs ${MNT} tmpfs ${opts} 0 0\n`;
const fresh = `umount ${MNT} 2>/dev/null; rmdir ${MNT} 2>/dev/null; true`;

const cases: ModuleCase[] = [
  {
    name: 'mounted: the entry, the directory and the mount',
    become: true,
    setup: fresh,
    files: { fstab: '# test fstab\n' },
    args: { path: MNT, src: 'tmpfs', fstype: 'tmpfs', opts: 'size=8m', state: 'mounted', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: true },
    diff: [{ path: 'fstab', before: '# test fstab\n', after: `# test fstab\n${entry('size=8m')}` }],
    expect: { fstab: `# test fstab\n${entry('size=8m')}` },
  },
  {
    name: 'mounted with new options: the entry changes and the mount is remounted',
    become: true,
    setup: `${fresh}; mkdir -p ${MNT} && mount -t tmpfs -o size=8m tmpfs ${MNT}`,
    files: { fstab: entry('size=8m') },
    args: { path: MNT, src: 'tmpfs', fstype: 'tmpfs', opts: 'size=16m', state: 'mounted', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: true },
    expect: { fstab: entry('size=16m') },
  },
  {
    name: 'unmounted: unmounts, the entry stays',
    become: true,
    setup: `${fresh}; mkdir -p ${MNT} && mount -t tmpfs tmpfs ${MNT}`,
    files: { fstab: entry('defaults') },
    args: { path: MNT, state: 'unmounted', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: true },
    expect: { fstab: entry('defaults') },
  },
  {
    name: 'absent: unmounts and removes the entry',
    become: true,
    setup: `${fresh}; mkdir -p ${MNT} && mount -t tmpfs tmpfs ${MNT}`,
    files: { fstab: `# test fstab\n${entry('defaults')}` },
    args: { path: MNT, state: 'absent', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: true },
    expect: { fstab: '# test fstab\n' },
  },
];

const mountOf = async () => (await labExec(HOST, `awk '$2 == "${MNT}" { print $1, $3, $4 }' /proc/mounts`)).stdout.trim();

t.test('mount on a lab host', async (t) => {
  const def = await new ModuleRegistry().get('mount');
  const [mounted, remounted, unmounted, absent] = cases;
  for (const [c, after] of [
    [mounted, /^tmpfs tmpfs rw,.*size=8192k/],
    [remounted, /^tmpfs tmpfs rw,.*size=16384k/],
    [unmounted, /^$/],
    [absent, /^$/],
  ] as const) {
    for (const r of await testModule(def, [c], { host })) t.same(r.problems, [], r.name);
    t.match(await mountOf(), after, `${c.name}: /proc/mounts`);
  }
});
