import type { Table } from './index.js';

const table: Table = () => [
  { name: 'a YAML file under a name', files: { 'v.yml': 'a: yes\nb: [1, 2]\n' }, args: { file: '{{ test_dir }}/v.yml', name: 'loaded' }, plan: { changed: false }, result: { ansible_facts: { loaded: { a: true, b: [1, 2] } } } },
  {
    name: 'a folder: sorted, recursive, filtered',
    files: { 'vars/a.yml': 'x: 1\nw: a\n', 'vars/b.json': '{"w": "b"}', 'vars/skip.yml': 'skipped: true\n', 'vars/sub/c.yaml': 'w: c\n', 'vars/notes.txt': 'text\n' },
    args: { dir: '{{ test_dir }}/vars', ignore_files: ['skip.yml'], ignore_unknown_extensions: true },
    plan: { changed: false },
    result: { ansible_facts: { x: 1, w: 'c', skipped: undefined }, ansible_included_var_files: { 0: /\/vars\/a\.yml$/, 1: /\/vars\/b\.json$/, 2: /\/vars\/sub\/c\.yaml$/, 3: undefined } },
  },
  { name: 'a folder that is not there', args: { dir: '{{ test_dir }}/none' }, plan: { changed: false, failed: /none directory does not exist$/ } },
];
export default table;
