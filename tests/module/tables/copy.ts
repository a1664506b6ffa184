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
  // Ansible's follow: no (the default) replaces a symlink at dest with the file; its target is left alone.
  { name: `${name}: a symlink at dest is replaced, its target untouched`, files: { target: 'old' }, setup: 'ln -s target link', args: { content: 'new', dest: '{{ test_dir }}/link' }, plan: { changed: true }, expect: { target: 'old', link: 'new' } },
  { name: `${name}: a symlink to the same bytes is still replaced`, files: { target: 'new' }, setup: 'ln -s target link', args: { content: 'new', dest: '{{ test_dir }}/link', mode: '0640' }, plan: { changed: true }, expect: { target: 'new', link: { content: 'new', mode: 0o640 } } },
  { name: `${name}: a symlink to a file elsewhere is replaced`, files: { 'elsewhere/target': 'old' }, setup: 'ln -s "$PWD/elsewhere/target" link', args: { content: 'new', dest: '{{ test_dir }}/link', backup: true }, plan: { changed: true }, expect: { 'elsewhere/target': 'old', link: 'new' } },
  { name: `${name}: follow writes the symlink's target`, files: { target: 'old' }, setup: 'ln -s target link', args: { content: 'new', dest: '{{ test_dir }}/link', follow: true }, plan: { changed: true }, expect: { target: 'new' } },
  { name: `${name}: follow, same bytes in the target`, files: { target: 'new' }, setup: 'ln -s target link', args: { content: 'new', dest: '{{ test_dir }}/link', follow: true }, plan: { changed: false }, expect: { target: 'new' } },
  { name: `${name}: follow, a dangling symlink is replaced`, setup: 'ln -s nowhere link', args: { content: 'new', dest: '{{ test_dir }}/link', follow: true }, plan: { changed: true }, expect: { link: 'new', nowhere: null } },
  { name: `${name}: a FIFO at dest is replaced, never opened`, setup: 'mkfifo f', args: { content: 'new', dest: '{{ test_dir }}/f' }, plan: { changed: true }, expect: { f: 'new' } },
  { name: `${name}: a symlinked parent directory`, files: { 'real/keep': 'k' }, setup: 'ln -s real via', args: { content: 'new', dest: '{{ test_dir }}/via/f' }, plan: { changed: true }, expect: { 'real/f': 'new' } },
  { name: `${name}: a missing directory`, args: { content: 'x', dest: '{{ test_dir }}/no/f' }, plan: { changed: true }, applied: { changed: false, failed: /no such directory/ }, idempotent: false },
  { name: `${name}: validate refuses`, files: { f: 'old' }, args: { content: 'new', dest: '{{ test_dir }}/f', validate: 'grep -q valid %s' }, plan: { changed: true }, applied: { changed: false, failed: /validation of the new .* failed/ }, expect: { f: 'old' }, idempotent: false },
];
export default copyTable('copy');
