import type { Table } from './index.js';

export const copyTable = (name: string): Table => () => [
  { name: `${name}: new file with mode`, args: { content: 'hello\n', dest: '{{ test_dir }}/f', mode: '0640' }, plan: { changed: true }, expect: { f: { content: 'hello\n', mode: 0o640 } }, result: { checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f' } },
  { name: `${name}: same content`, files: { f: 'hello\n' }, args: { content: 'hello\n', dest: '{{ test_dir }}/f' }, plan: { changed: false } },
  { name: `${name}: only the mode`, files: { f: { content: 'x', mode: 0o600 } }, args: { content: 'x', dest: '{{ test_dir }}/f', mode: '0644' }, plan: { changed: true }, expect: { f: { content: 'x', mode: 0o644 } } },
  { name: `${name}: force false`, files: { f: 'old' }, args: { content: 'new', dest: '{{ test_dir }}/f', force: false }, plan: { changed: false } },
  { name: `${name}: content and src`, args: { content: 'x', src: '/etc/hostname', dest: '{{ test_dir }}/f' }, plan: { changed: false, failed: /exactly one of content, src/ } },
];
export default copyTable('copy');
