import type { Table } from './index.js';

const table: Table = () => [
  { name: 'a directory with its parents', args: { path: '{{ test_dir }}/a/b', state: 'directory', mode: '0750' }, plan: { changed: true } },
  { name: 'absent', files: { f: 'x' }, args: { path: '{{ test_dir }}/f', state: 'absent' }, plan: { changed: true }, expect: { f: null } },
  { name: 'a missing file', args: { path: '{{ test_dir }}/nope' }, plan: { changed: false, failed: /is absent, cannot continue/ } },
];
export default table;
