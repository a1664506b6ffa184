import type { Table } from './index.js';

// Cases that change no account, so they run on this machine too; the lab host
// runs the cases that create, change and remove users (tables-lab-system.ts).
const table: Table = ({ user }) => [
  { name: 'root as it is: nothing changes', args: { name: 'root', uid: 0, create_home: false }, plan: { changed: false }, result: { name: 'root', state: 'present', uid: 0, group: 0, home: '/root', append: false, move_home: false } },
  { name: 'append with no groups leaves the login user alone', args: { name: user, groups: [], append: true }, plan: { changed: false }, result: { name: user, groups: '' } },
  { name: 'an absent user stays absent', args: { name: 'tsplay-no-such-user', state: 'absent' }, plan: { changed: false }, result: { name: 'tsplay-no-such-user', state: 'absent' } },
  // As in Ansible, check mode reports a user to be made as a change before it looks at the groups.
  { name: 'a primary group that does not exist', args: { name: 'tsplay-no-such-user', group: 'tsplay-no-such-group' }, plan: { changed: true }, applied: { changed: false, failed: 'Group tsplay-no-such-group does not exist' } },
  { name: 'a supplementary group that does not exist', args: { name: 'root', groups: 'root,tsplay-no-such-group', append: true }, plan: { changed: false, failed: 'Group tsplay-no-such-group does not exist' } },
  { name: 'an Ansible argument tsplay does not have is refused by name', args: { name: 'root', generate_ssh_key: true }, plan: { changed: false, failed: /generate_ssh_key/ } },
  { name: 'a name with a colon is refused', args: { name: 'a:b' }, plan: { changed: false, failed: /name/ } },
];
export default table;
