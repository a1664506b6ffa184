import type { Table } from './index.js';

export const copyTable = (name: string): Table => () => [
  { name: `${name}: new file with mode`, args: { content: 'hello\n', dest: '{{ test_dir }}/f', mode: '0640' }, plan: { changed: true }, expect: { f: { content: 'hello\n', mode: 0o640 } }, result: { checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f' } },
  { name: `${name}: same content`, files: { f: 'hello\n' }, args: { content: 'hello\n', dest: '{{ test_dir }}/f' }, plan: { changed: false } },
  { name: `${name}: only the mode`, files: { f: { content: 'x', mode: 0o600 } }, args: { content: 'x', dest: '{{ test_dir }}/f', mode: '0644' }, plan: { changed: true }, expect: { f: { content: 'x', mode: 0o644 } } },
  { name: `${name}: force false`, files: { f: 'old' }, args: { content: 'new', dest: '{{ test_dir }}/f', force: false }, plan: { changed: false } },
  { name: `${name}: content and src`, args: { content: 'x', src: '/etc/hostname', dest: '{{ test_dir }}/f' }, plan: { changed: false, failed: /exactly one of content, src/ } },
  { name: `${name}: new content, old mode kept`, files: { f: { content: 'old\n', mode: 0o600 } }, args: { content: 'new\n', dest: '{{ test_dir }}/f' }, plan: { changed: true }, expect: { f: { content: 'new\n', mode: 0o600 } } },
  { name: `${name}: same content and mode`, files: { f: { content: 'x', mode: 0o640 } }, args: { content: 'x', dest: '{{ test_dir }}/f', mode: '0640', backup: true }, plan: { changed: false }, expect: { f: { content: 'x', mode: 0o640 } } },
  { name: `${name}: a directory at dest`, setup: 'mkdir d', args: { content: 'x', dest: '{{ test_dir }}/d' }, plan: { changed: false, failed: /is a directory: give the file's full path as dest/ } },
  { name: `${name}: through a symlink`, files: { target: 'old' }, setup: 'ln -s target link', args: { content: 'new', dest: '{{ test_dir }}/link' }, plan: { changed: true }, expect: { target: 'new' } },
  { name: `${name}: a missing directory`, args: { content: 'x', dest: '{{ test_dir }}/no/f' }, plan: { changed: true }, applied: { changed: false, failed: /no such directory/ }, idempotent: false },
  { name: `${name}: validate refuses`, files: { f: 'old' }, args: { content: 'new', dest: '{{ test_dir }}/f', validate: 'grep -q valid %s' }, plan: { changed: true }, applied: { changed: false, failed: /validation of the new .* failed/ }, expect: { f: 'old' }, idempotent: false },
];
export default copyTable('copy');
