import type { Table } from './index.js';

const table: Table = () => [
  { name: 'base64 content', files: { f: 'hi\n' }, args: { src: '{{ test_dir }}/f' }, plan: { changed: false }, result: { content: 'aGkK', encoding: 'base64' } },
  { name: 'missing', args: { src: '{{ test_dir }}/nope' }, plan: { changed: false, failed: /file not found/ } },
];
export default table;
