import type { Table } from './index.js';

// The fstab edits, on a fstab of the case's own (fstab:). Real mounts (tmpfs) are on a lab host: mount-lab.test.ts.
const FSTAB = '# /etc/fstab: static file system information.\nUUID=1234 / ext4 errors=remount-ro 0 1\n\n/dev/sdb1 /data xfs defaults 0 2\n';

const table: Table = () => [
  {
    name: 'present adds the entry at the end, every other line kept',
    files: { fstab: FSTAB },
    args: { path: '/srv/etcd', src: '/dev/vg0/etcd', fstype: 'xfs', opts: 'defaults,noatime', state: 'present', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: true },
    diff: [{ path: 'fstab', before: FSTAB, after: `${FSTAB}/dev/vg0/etcd /srv/etcd xfs defaults,noatime 0 0\n` }],
    expect: { fstab: `${FSTAB}/dev/vg0/etcd /srv/etcd xfs defaults,noatime 0 0\n` },
    result: { name: '/srv/etcd', src: '/dev/vg0/etcd', fstype: 'xfs', opts: 'defaults,noatime', dump: '0', passno: '0' },
  },
  {
    name: 'an entry already as asked is left alone, spacing and all',
    files: { fstab: FSTAB },
    args: { name: '/data/', src: '/dev/sdb1', fstype: 'xfs', passno: 2, state: 'present', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: false },
    expect: { fstab: FSTAB },
  },
  {
    name: 'a changed entry is replaced where it was',
    files: { fstab: FSTAB },
    args: { path: '/data', src: '/dev/sdc1', fstype: 'xfs', opts: 'noatime', dump: '1', passno: '2', state: 'present', fstab: '{{ test_dir }}/fstab', backup: true },
    plan: { changed: true },
    expect: { fstab: FSTAB.replace('/dev/sdb1 /data xfs defaults 0 2', '/dev/sdc1 /data xfs noatime 1 2') },
    result: { backup_file: /fstab\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/ },
  },
  {
    name: 'boot: false adds noauto; a space in a path is written as \\040',
    files: { fstab: '' },
    args: { path: '/mnt/my disk', src: 'LABEL=backup', fstype: 'ext4', boot: false, state: 'present', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: true },
    expect: { fstab: 'LABEL=backup /mnt/my\\040disk ext4 noauto 0 0\n' },
  },
  {
    name: 'a missing fstab is created by present',
    args: { path: '/mnt/x', src: 'tmpfs', fstype: 'tmpfs', state: 'present', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: true },
    expect: { fstab: 'tmpfs /mnt/x tmpfs defaults 0 0\n' },
  },
  {
    name: 'absent removes the entry, every other line kept',
    files: { fstab: FSTAB },
    args: { path: '/data', state: 'absent', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: true },
    diff: [{ path: 'fstab', after: '# /etc/fstab: static file system information.\nUUID=1234 / ext4 errors=remount-ro 0 1\n\n' }],
    expect: { fstab: '# /etc/fstab: static file system information.\nUUID=1234 / ext4 errors=remount-ro 0 1\n\n' },
  },
  {
    name: 'absent with no entry and nothing mounted changes nothing',
    files: { fstab: FSTAB },
    args: { path: '/tsplay-not-mounted', state: 'absent', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: false },
    expect: { fstab: FSTAB },
  },
  {
    name: 'unmounted: nothing mounted there, the fstab untouched',
    files: { fstab: FSTAB },
    args: { path: '/data', state: 'unmounted', fstab: '{{ test_dir }}/fstab' },
    plan: { changed: false },
    expect: { fstab: FSTAB },
  },
  { name: 'present needs src', files: { fstab: FSTAB }, args: { path: '/x', fstype: 'xfs', state: 'present', fstab: '{{ test_dir }}/fstab' }, plan: { changed: false, failed: /state is present but all of the following are missing: src/ } },
  { name: 'remounted needs a mounted file system', files: { fstab: FSTAB }, args: { path: '/tsplay-not-mounted', state: 'remounted', fstab: '{{ test_dir }}/fstab' }, plan: { changed: false, failed: /is not mounted: remounted needs a mounted file system/ } },
  { name: 'an argument mount does not take', args: { path: '/x', state: 'present', src: 'a', fstype: 'b', opts_no_log: true }, plan: { changed: false, failed: /unsupported argument 'opts_no_log'/ } },
];
export default table;
