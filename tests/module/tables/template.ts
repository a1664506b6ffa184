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
  { name: 'a symlink at dest is replaced, its target untouched (follow: no)', files: { 't.j2': 'new\n', target: 'old\n' }, setup: 'ln -s target out', args: { src: '{{ test_dir }}/t.j2', dest: '{{ test_dir }}/out' }, plan: { changed: true }, expect: { out: 'new\n', target: 'old\n' } },
  { name: "follow: yes writes the symlink's target", files: { 't.j2': 'new\n', target: 'old\n' }, setup: 'ln -s target out', args: { src: '{{ test_dir }}/t.j2', dest: '{{ test_dir }}/out', follow: true }, plan: { changed: true }, expect: { target: 'new\n' } },
  { name: 'an unsupported statement', files: { 't.j2': 'x\n{% include "y" %}\n' }, args: { src: '{{ test_dir }}/t.j2', dest: '{{ test_dir }}/out' }, plan: { changed: false, failed: /t\.j2:2:1: .*is not supported/ } },
];
export default table;
