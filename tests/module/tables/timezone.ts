import type { Table } from './index.js';

// Only cases that change nothing wherever the table runs: setting a zone would change this very
// machine. The zone really set, then left alone, with timedatectl and with the files, runs on a lab
// host (tests/module/timezone-lab.test.ts).
const table: Table = () => [
  {
    name: "a zone the host does not have: Ansible's message, nothing changes",
    args: { name: 'Tsplay/Nowhere' },
    plan: { changed: false, failed: /^Error message:\ngiven timezone "Tsplay\/Nowhere" is not available$/ },
  },
  {
    name: "no zone: Ansible's message",
    args: {},
    plan: { changed: false, failed: /^one of the following is required: name, hwclock$/ },
  },
  {
    name: 'hwclock is refused, naming it',
    args: { name: 'Etc/UTC', hwclock: 'UTC' },
    plan: { changed: false, failed: /unsupported argument 'hwclock'/ },
  },
];
export default table;
