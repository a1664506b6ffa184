import type { Table } from './index.js';

const table: Table = () => [
  { name: 'flat to a file', files: { f: 'data\n' }, args: { src: '{{ test_dir }}/f', dest: '{{ test_dir }}/copy', flat: true }, plan: { changed: true }, expect: { copy: 'data\n' } },
  { name: 'missing', args: { src: '{{ test_dir }}/nope', dest: '{{ test_dir }}/x' }, plan: { changed: false, failed: /does not exist/ } },
];
export default table;
