import type { Table } from './index.js';

// Only what is safe wherever the table runs (the local connection, and the test sshd on this
// very machine): a reboot that would reach this machine is refused, in check mode too, as Ansible
// refuses it. The real reboots and their failures run on a lab host (tests/module/reboot-lab.test.ts).
const table: Table = () => [
  {
    name: "the local connection is refused, in check mode too: Ansible's message",
    args: {},
    vars: { ansible_connection: 'local' },
    plan: { changed: false, failed: /^Running reboot with local connection would reboot the control node\.$/ },
  },
];
export default table;
