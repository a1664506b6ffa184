import type { Table } from './index.js';

// Read-only: root and the login user are on every host. A list's fields are checked by index ({ 0: ... }).
const table: Table = ({ user }) => [
  { name: 'a passwd entry, split on colons', args: { database: 'passwd', key: 'root' }, plan: { changed: false }, result: { ansible_facts: { getent_passwd: { root: { 0: 'x', 1: '0', 2: '0', 4: '/root', 5: /^\// } } } } },
  { name: 'the login user', args: { database: 'passwd', key: user }, plan: { changed: false }, result: { ansible_facts: { getent_passwd: { [user]: { 0: 'x', 1: /^\d+$/, 2: /^\d+$/, 4: /^\// } } } } },
  { name: 'a group by gid', args: { database: 'group', key: '0' }, plan: { changed: false }, result: { ansible_facts: { getent_group: { root: { 0: 'x', 1: '0' } } } } },
  { name: 'a split of its own', args: { database: 'passwd', key: 'root', split: '/' }, plan: { changed: false }, result: { ansible_facts: { getent_passwd: { 'root:x:0:0:root:': { 0: 'root:' } } } } },
  { name: 'a key that is not there fails', args: { database: 'passwd', key: 'tsplay-no-such-user' }, plan: { changed: false, failed: 'One or more supplied key could not be found in the database.' } },
  { name: 'fail_key: false maps it to null', args: { database: 'passwd', key: 'tsplay-no-such-user', fail_key: false }, plan: { changed: false }, result: { ansible_facts: { getent_passwd: { 'tsplay-no-such-user': null } }, msg: 'One or more supplied key could not be found in the database.' } },
  { name: 'a database that does not exist', args: { database: 'tsplay-no-such-db' }, plan: { changed: false, failed: 'Missing arguments, or database unknown.' } },
];
export default table;
