import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from './index.js';

// A directory on the controller: conf/a.conf, conf/sub/b.conf, conf/empty/.
const controller = mkdtempSync(join(tmpdir(), 'tsplay-copy-table-'));
const conf = join(controller, 'conf');
mkdirSync(join(conf, 'sub'), { recursive: true });
mkdirSync(join(conf, 'empty'));
writeFileSync(join(conf, 'a.conf'), 'a=1\n');
writeFileSync(join(conf, 'sub/b.conf'), 'b=2\n');

export const copyTable = (name: string): Table => () => [
  { name: `${name}: new file with mode`, args: { content: 'hello\n', dest: '{{ test_dir }}/f', mode: '0640' }, plan: { changed: true }, expect: { f: { content: 'hello\n', mode: 0o640 } }, result: { checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f' } },
  { name: `${name}: same content`, files: { f: 'hello\n' }, args: { content: 'hello\n', dest: '{{ test_dir }}/f' }, plan: { changed: false } },
  { name: `${name}: only the mode`, files: { f: { content: 'x', mode: 0o600 } }, args: { content: 'x', dest: '{{ test_dir }}/f', mode: '0644' }, plan: { changed: true }, expect: { f: { content: 'x', mode: 0o644 } } },
  { name: `${name}: force false`, files: { f: 'old' }, args: { content: 'new', dest: '{{ test_dir }}/f', force: false }, plan: { changed: false } },
  { name: `${name}: content and src`, args: { content: 'x', src: '/etc/hostname', dest: '{{ test_dir }}/f' }, plan: { changed: false, failed: /exactly one of content, src/ } },
  { name: `${name}: new content, old mode kept`, files: { f: { content: 'old\n', mode: 0o600 } }, args: { content: 'new\n', dest: '{{ test_dir }}/f' }, plan: { changed: true }, expect: { f: { content: 'new\n', mode: 0o600 } } },
  { name: `${name}: same content and mode`, files: { f: { content: 'x', mode: 0o640 } }, args: { content: 'x', dest: '{{ test_dir }}/f', mode: '0640', backup: true }, plan: { changed: false }, expect: { f: { content: 'x', mode: 0o640 } } },
  { name: `${name}: a directory at dest`, setup: 'mkdir d', args: { content: 'x', dest: '{{ test_dir }}/d' }, plan: { changed: false, failed: /is a directory: give the file's full path as dest/ } },
  // A file from src into a directory, under its own name, as Ansible's copy: dest an existing directory, or ending in /.
  { name: `${name}: src into an existing directory at dest`, setup: 'mkdir d', args: { src: join(conf, 'a.conf'), dest: '{{ test_dir }}/d' }, plan: { changed: true }, expect: { 'd/a.conf': 'a=1\n' } },
  { name: `${name}: src into a directory, already there`, files: { 'd/a.conf': 'a=1\n' }, args: { src: join(conf, 'a.conf'), dest: '{{ test_dir }}/d' }, plan: { changed: false }, expect: { 'd/a.conf': 'a=1\n' } },
  { name: `${name}: src into dest ending in /`, setup: 'mkdir d', args: { src: join(conf, 'a.conf'), dest: '{{ test_dir }}/d/' }, plan: { changed: true }, expect: { 'd/a.conf': 'a=1\n' } },
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
  { name: `${name}: a directory's contents (src ending in /)`, setup: 'mkdir out', args: { src: `${conf}/`, dest: '{{ test_dir }}/out', mode: '0640' }, plan: { changed: true }, expect: { 'out/a.conf': { content: 'a=1\n', mode: 0o640 }, 'out/sub/b.conf': 'b=2\n', 'out/conf': null }, result: { src: conf } },
  { name: `${name}: the directory itself (src without /), dest made`, args: { src: conf, dest: '{{ test_dir }}/new' }, plan: { changed: true }, expect: { 'new/conf/a.conf': 'a=1\n', 'new/conf/sub/b.conf': 'b=2\n' } },
  {
    name: `${name}: a tree partly there: only what differs is written`,
    files: { 'out/a.conf': 'a=1\n', 'out/sub/b.conf': 'old\n' },
    setup: 'mkdir out/empty',
    args: { src: `${conf}/`, dest: '{{ test_dir }}/out' },
    plan: { changed: true },
    diff: [{ path: 'out/sub/b.conf', before: 'old\n', after: 'b=2\n' }],
    expect: { 'out/a.conf': 'a=1\n', 'out/sub/b.conf': 'b=2\n' },
  },
  { name: `${name}: a tree already there`, files: { 'out/a.conf': 'a=1\n', 'out/sub/b.conf': 'b=2\n' }, setup: 'mkdir out/empty', args: { src: `${conf}/`, dest: '{{ test_dir }}/out' }, plan: { changed: false } },
  { name: `${name}: a file where the tree needs a directory fails`, files: { 'out/sub': 'a file\n' }, args: { src: `${conf}/`, dest: '{{ test_dir }}/out' }, plan: { changed: false, failed: /out\/sub exists and is not a directory/ } },
  { name: `${name}: remote_src copies a file on the host`, files: { 'src.txt': 'on the host\n' }, args: { src: '{{ test_dir }}/src.txt', remote_src: true, dest: '{{ test_dir }}/dst.txt', mode: '0600' }, plan: { changed: true }, expect: { 'dst.txt': { content: 'on the host\n', mode: 0o600 }, 'src.txt': 'on the host\n' } },
  { name: `${name}: remote_src with a missing file fails`, args: { src: '{{ test_dir }}/none', remote_src: true, dest: '{{ test_dir }}/dst.txt' }, plan: { changed: false, failed: /Source .*none not found/ } },
];
export default copyTable('copy');
