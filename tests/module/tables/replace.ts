import type { Table } from './index.js';

const table: Table = () => [
  { name: 'back references', files: { f: 'name=a.example.com\nname=b.example.com\n' }, args: { path: '{{ test_dir }}/f', regexp: '^name=(\\w+)\\.example', replace: 'host=\\1.lab' }, plan: { changed: true }, expect: { f: 'host=a.lab.com\nhost=b.lab.com\n' } },
  { name: 'no match', files: { f: 'x\n' }, args: { path: '{{ test_dir }}/f', regexp: 'y' }, plan: { changed: false } },
];
export default table;
