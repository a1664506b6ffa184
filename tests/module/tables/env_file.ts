import type { Table } from './index.js';

const conf = '# etcd\nETCD_NAME=m0\nETCD_INITIAL_CLUSTER=m0=https://a:2380,m1=https://b:2380\n#ETCD_WAL_DIR=\nFLANNEL_OPTIONS="-x -y"\n';

const table: Table = () => [
  {
    name: 'remove a member, set a key, keep the rest',
    files: { 'etcd.conf': conf },
    args: { path: '{{ test_dir }}/etcd.conf', remove_items: { ETCD_INITIAL_CLUSTER: ['m1'] }, set: { ETCD_WAL_DIR: '/w', FLANNEL_OPTIONS: '-z' } },
    plan: { changed: true },
    diff: [{ path: 'etcd.conf' }],
    expect: { 'etcd.conf': '# etcd\nETCD_NAME=m0\nETCD_INITIAL_CLUSTER=m0=https://a:2380\n#ETCD_WAL_DIR=\nETCD_WAL_DIR=/w\nFLANNEL_OPTIONS="-z"\n' },
    result: { values: { ETCD_INITIAL_CLUSTER: 'm0=https://a:2380', ETCD_WAL_DIR: '/w', FLANNEL_OPTIONS: '-z' } },
  },
  { name: 'already so', files: { 'etcd.conf': conf }, args: { path: '{{ test_dir }}/etcd.conf', set: { ETCD_NAME: 'm0' } }, plan: { changed: false } },
  { name: 'a missing file', args: { path: '{{ test_dir }}/nope', set: { A: 1 } }, plan: { changed: false, failed: /does not exist/ } },
  { name: 'an unsupported argument', args: { path: '{{ test_dir }}/x', state: 'present' }, plan: { changed: false, failed: /unsupported argument 'state'/ } },
];
export default table;
