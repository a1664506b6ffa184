import type { Table } from './index.js';

const table: Table = () => [
  { name: 'fails with the message', args: { msg: 'refusing: {{ why }}' }, vars: { why: 'last member' }, plan: { changed: false, failed: 'refusing: last member' } },
  { name: 'the default message', args: {}, plan: { changed: false, failed: 'Failed as requested from task' } },
];
export default table;
