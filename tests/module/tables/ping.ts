import type { Table } from './index.js';

const table: Table = () => [
  { name: 'pong', args: {}, plan: { changed: false }, result: { ping: 'pong' } },
  { name: 'data comes back', args: { data: 'hello' }, plan: { changed: false }, result: { ping: 'hello' } },
  { name: 'data=crash fails as Ansible\'s does', args: { data: 'crash' }, plan: { changed: false, failed: /MODULE FAILURE|boom|crash/ } },
];
export default table;
