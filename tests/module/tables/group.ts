import type { Table } from './index.js';

// Cases that change no group, so they run on this machine too; the lab host
// runs the cases that create, change and remove groups (tables-lab-system.ts).
const table: Table = () => [
  { name: 'root as it is: nothing changes', args: { name: 'root', gid: 0 }, plan: { changed: false }, result: { name: 'root', state: 'present', gid: 0, system: false } },
  { name: 'an absent group stays absent', args: { name: 'tsplay-no-such-group', state: 'absent' }, plan: { changed: false }, result: { name: 'tsplay-no-such-group', state: 'absent' } },
  { name: 'non_unique needs gid', args: { name: 'root', non_unique: true }, plan: { changed: false, failed: 'non_unique is True but all of the following are missing: gid' } },
  { name: 'an Ansible argument tsplay does not have is refused by name', args: { name: 'root', local: true }, plan: { changed: false, failed: /local/ } },
];
export default table;
