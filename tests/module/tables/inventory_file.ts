import type { Table } from './index.js';

const inv = '# masters\n[masters]\nm0\nm1  # second\n\n[etcd]\nm0 etcd_ip=10.0.0.1\nm1 etcd_ip=10.0.0.2\n';

const table: Table = () => [
  {
    name: 'remove a host from two groups',
    files: { hosts: { content: inv, mode: 0o666 } },
    args: { path: '{{ test_dir }}/hosts', host: 'm1', groups: ['masters', 'etcd'], state: 'absent' },
    plan: { changed: true },
    expect: { hosts: '# masters\n[masters]\nm0\n\n[etcd]\nm0 etcd_ip=10.0.0.1\n' },
  },
  { name: 'present already', files: { hosts: inv }, args: { path: '{{ test_dir }}/hosts', host: 'm0', groups: ['etcd'], vars: { etcd_ip: '10.0.0.1' } }, plan: { changed: false } },
];
export default table;
