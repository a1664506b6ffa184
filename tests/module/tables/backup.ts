import type { Table } from './index.js';

const table: Table = () => [
  {
    name: 'a dated copy under the full path',
    files: { 'src/etcd.conf': 'A=1\n' },
    args: { paths: ['{{ test_dir }}/src'], dest: '{{ test_dir }}/backup/etcd-config' },
    plan: { changed: true },
  },
  { name: 'relative paths are refused', args: { paths: ['etc'], dest: '/x' }, plan: { changed: false, failed: /module 'backup'/ } },
];
export default table;
