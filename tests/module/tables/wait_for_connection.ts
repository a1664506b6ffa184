import type { Table } from './index.js';

// Skipped in check mode, as Ansible's action plugin is (before it even reads its options).
const table: Table = () => [
  { name: 'a host that answers: ok at the first try', args: { timeout: 60 }, plan: { changed: false, skipped: true }, applied: { changed: false }, result: { changed: false } },
  { name: 'delay, sleep and connect_timeout as digit strings', args: { delay: '0', sleep: '1', connect_timeout: '10', timeout: '60' }, plan: { changed: false, skipped: true }, applied: { changed: false } },
  { name: "an option it does not know: Ansible's message", args: { foo: 'bar' }, plan: { changed: false, skipped: true }, applied: { changed: false, failed: /^Invalid options for wait_for_connection: foo$/ } },
];
export default table;
