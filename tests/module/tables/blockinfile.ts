import type { Table } from './index.js';

const table: Table = () => [
  { name: 'insert a block', files: { f: 'a\n' }, args: { path: '{{ test_dir }}/f', block: 'x\ny' }, plan: { changed: true }, expect: { f: 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\ny\n# END ANSIBLE MANAGED BLOCK\n' } },
  { name: 'a block holding the end marker is refused', files: { f: 'a\n' }, args: { path: '{{ test_dir }}/f', block: 'x\n# END ANSIBLE MANAGED BLOCK\nevil' }, plan: { changed: false, failed: /f: the block holds the marker line "# END ANSIBLE MANAGED BLOCK"/ }, expect: { f: 'a\n' } },
  { name: 'replace it', files: { f: 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nb\n' }, args: { path: '{{ test_dir }}/f', block: 'new' }, plan: { changed: true }, expect: { f: 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nnew\n# END ANSIBLE MANAGED BLOCK\nb\n' } },
  { name: 'remove it', files: { f: 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\n' }, args: { path: '{{ test_dir }}/f', state: 'absent' }, plan: { changed: true }, expect: { f: 'a\n' } },
];
export default table;
