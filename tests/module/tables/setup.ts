import type { Table } from './index.js';

const table: Table = ({ user }) => [
  { name: 'facts of the login user', args: {}, plan: { changed: false }, result: { ansible_facts: { ansible_user_id: user, ansible_system: 'Linux' } } },
  { name: 'gather_facts under become reports root', args: {}, become: true, plan: { changed: false }, result: { ansible_facts: { ansible_user_id: 'root', ansible_user_uid: 0 } } },
];
export default table;
