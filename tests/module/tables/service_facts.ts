import type { Table } from './index.js';

// What services a host has differs from host to host (this machine has no systemd as PID 1):
// the lab host's real systemd is checked against ansible-playbook in tests/compat/parity-packages.test.ts.
const table: Table = () => [
  { name: 'an argument it does not take', args: { name: 'etcd' }, plan: { changed: false, failed: /unsupported argument 'name'/ } },
];
export default table;
