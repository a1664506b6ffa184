import type { Table } from './index.js';

const table: Table = () => [
  { name: 'a YAML file under a name', files: { 'v.yml': 'a: yes\nb: [1, 2]\n' }, args: { file: '{{ test_dir }}/v.yml', name: 'loaded' }, plan: { changed: false }, result: { ansible_facts: { loaded: { a: true, b: [1, 2] } } } },
];
export default table;
