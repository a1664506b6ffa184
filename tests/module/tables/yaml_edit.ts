import type { Table } from './index.js';

const mc = 'kind: MasterConfig\n# the etcd clients\netcdClientInfo:\n  ca: ca.crt  # CA\n  urls:\n  - https://m0:2379\n  - https://m1:2379\n';

const table: Table = () => [
  {
    name: 'remove a url',
    files: { 'mc.yaml': mc },
    args: { path: '{{ test_dir }}/mc.yaml', key: 'etcdClientInfo.urls', remove_items: ['https://m1:2379'] },
    plan: { changed: true },
    expect: { 'mc.yaml': mc.replace('  - https://m1:2379\n', '') },
    result: { value: ['https://m0:2379'] },
  },
  { name: 'set a value', files: { 'mc.yaml': mc }, args: { path: '{{ test_dir }}/mc.yaml', key: 'etcdClientInfo.ca', value: 'x.crt' }, plan: { changed: true }, expect: { 'mc.yaml': mc.replace('ca: ca.crt', 'ca: x.crt') } },
  { name: 'add a url already there', files: { 'mc.yaml': mc }, args: { path: '{{ test_dir }}/mc.yaml', key: 'etcdClientInfo.urls', add_items: ['https://m0:2379'] }, plan: { changed: false } },
  { name: 'not a list', files: { 'mc.yaml': mc }, args: { path: '{{ test_dir }}/mc.yaml', key: 'kind', add_items: ['x'] }, plan: { changed: false, failed: /'kind' is not a list/ } },
];
export default table;
