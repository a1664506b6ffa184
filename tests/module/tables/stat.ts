import type { Table } from './index.js';

const table: Table = () => [
  { name: 'a file', files: { f: 'hello\n' }, args: { path: '{{ test_dir }}/f' }, plan: { changed: false }, result: { stat: { exists: true, isreg: true, size: 6, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f' } } },
  { name: 'nothing there', args: { path: '{{ test_dir }}/nope' }, plan: { changed: false }, result: { stat: { exists: false } } },
];
export default table;
