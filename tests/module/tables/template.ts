import type { Table } from './index.js';

const table: Table = () => [
  {
    name: 'render a template from the controller',
    files: { 't.j2': '{% for m in ms %}{{ loop.index }}={{ m }}\n{% endfor %}' },
    vars: { ms: ['a', 'b'] },
    args: { src: '{{ test_dir }}/t.j2', dest: '{{ test_dir }}/out' },
    plan: { changed: true },
    expect: { out: '1=a\n2=b\n' },
  },
  { name: 'an unsupported statement', files: { 't.j2': 'x\n{% include "y" %}\n' }, args: { src: '{{ test_dir }}/t.j2', dest: '{{ test_dir }}/out' }, plan: { changed: false, failed: /t\.j2:2:1: .*is not supported/ } },
];
export default table;
