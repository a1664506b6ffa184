import type { Table } from './index.js';

// Each case is a run of its own: the host is new every time, so every run reports a change.
const table: Table = () => [
  {
    name: 'a new host with groups and a variable',
    args: { name: 'added-{{ n }}', groups: 'a, b,a', color: 'blue' },
    vars: { n: 1 },
    plan: { changed: true },
    result: { changed: true, add_host: { host_name: 'added-1', groups: ['a', 'b'], host_vars: { color: 'blue' } } },
    idempotent: false,
  },
  {
    name: 'host:port sets ansible_ssh_port; host and group stay variables, as in Ansible',
    args: { host: '10.0.0.9:2222', group: ['x'] },
    plan: { changed: true },
    result: { add_host: { host_name: '10.0.0.9', groups: ['x'], host_vars: { host: '10.0.0.9:2222', group: ['x'], ansible_ssh_port: 2222 } } },
    idempotent: false,
  },
  { name: 'no name', args: { groups: 'x' }, plan: { changed: false, failed: /name, host or hostname needs to be provided/ } },
];
export default table;
