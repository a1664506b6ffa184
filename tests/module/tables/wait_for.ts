import type { Table } from './index.js';

const table: Table = () => [
  { name: 'a file that is there', files: { f: 'ready\n' }, args: { path: '{{ test_dir }}/f', search_regex: 'rea.y', timeout: 5 }, plan: { changed: false } },
  { name: 'a file that never comes', args: { path: '{{ test_dir }}/nope', timeout: 1, sleep: 0.2 }, plan: { changed: false, failed: /Timeout when waiting for/ } },
];
export default table;
