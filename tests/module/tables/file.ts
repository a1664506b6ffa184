import type { Table } from './index.js';

const table: Table = () => [
  { name: 'a directory with its parents', args: { path: '{{ test_dir }}/a/b', state: 'directory', mode: '0750' }, plan: { changed: true } },
  { name: 'absent', files: { f: 'x' }, args: { path: '{{ test_dir }}/f', state: 'absent' }, plan: { changed: true }, expect: { f: null } },
  { name: 'a missing file', args: { path: '{{ test_dir }}/nope' }, plan: { changed: false, failed: /is absent, cannot continue/ } },
  { name: 'an existing directory, its mode', setup: 'mkdir -m 700 d', args: { path: '{{ test_dir }}/d', state: 'directory', mode: '0755' }, plan: { changed: true } },
  { name: 'an existing directory as it should be', setup: 'mkdir -m 755 d', args: { path: '{{ test_dir }}/d', state: 'directory', mode: '0755' }, plan: { changed: false } },
  { name: 'a file where the directory goes', files: { d: 'x' }, args: { path: '{{ test_dir }}/d', state: 'directory' }, plan: { changed: false, failed: /exists and is not a directory/ } },
  { name: 'a symlink where the directory goes', setup: 'mkdir real && ln -s real d', args: { path: '{{ test_dir }}/d', state: 'directory' }, plan: { changed: false, failed: /exists and is not a directory/ } },
  // follow: yes (file's default): a symlink's target gets the attributes, and a second run sees them there.
  { name: "a symlink's target gets the mode (follow)", files: { target: { content: 'x', mode: 0o600 } }, setup: 'ln -s target link', args: { path: '{{ test_dir }}/link', mode: '0640' }, plan: { changed: true }, expect: { target: { content: 'x', mode: 0o640 } } },
  { name: 'follow: false, a mode for a symlink is refused', files: { target: { content: 'x', mode: 0o600 } }, setup: 'ln -s target link', args: { path: '{{ test_dir }}/link', mode: '0640', follow: false }, plan: { changed: false, failed: /a symlink has no mode of its own/ }, expect: { target: { content: 'x', mode: 0o600 } } },
  { name: 'follow: false, touch a dangling symlink: nothing made where it points', setup: 'ln -s nowhere link', args: { path: '{{ test_dir }}/link', state: 'touch', follow: false }, plan: { changed: true }, expect: { nowhere: null }, idempotent: false },
  { name: 'a file on the way', files: { f: 'x' }, args: { path: '{{ test_dir }}/f/sub', state: 'directory' }, plan: { changed: true }, applied: { changed: false, failed: /File exists|Not a directory/ }, idempotent: false },
  // Ansible's other names for path, and force for a link over a file.
  { name: 'dest is another name for path', args: { dest: '{{ test_dir }}/viadest', state: 'directory' }, plan: { changed: true } },
  { name: 'name is another name for path', files: { f: 'x' }, args: { name: '{{ test_dir }}/f', state: 'absent' }, plan: { changed: true }, expect: { f: null } },
  { name: 'path and its alias dest together are refused', args: { path: '{{ test_dir }}/a', dest: '{{ test_dir }}/b', state: 'directory' }, plan: { changed: false, failed: /'dest' is another name for 'path': give one of them, not both/ } },
  { name: 'a link over a file is refused without force', files: { f: 'x', t: 'y' }, args: { path: '{{ test_dir }}/f', src: 't', state: 'link' }, plan: { changed: false, failed: /exists and is not a symlink \(force: true replaces it\)/ }, expect: { f: 'x' } },
  { name: 'force: a link replaces a file', files: { f: 'x', t: 'y' }, args: { path: '{{ test_dir }}/f', src: 't', state: 'link', force: true }, plan: { changed: true }, expect: { t: 'y' } },
  // modification_time and access_time: a fixed modification time is set once (a second run changes nothing; an access time older than a day is renewed by any read under relatime); a time that does not match its format fails first.
  { name: 'a fixed modification time on a file', files: { f: 'x' }, args: { path: '{{ test_dir }}/f', modification_time: '202001011200.00' }, plan: { changed: true }, expect: { f: 'x' } },
  { name: 'touch a new file with a fixed time, keeping it', args: { path: '{{ test_dir }}/t', state: 'touch', modification_time: '2020-01-01 12:00:00', modification_time_format: '%Y-%m-%d %H:%M:%S', access_time: 'preserve' }, plan: { changed: true }, applied: { changed: true }, idempotent: false },
  { name: 'a time that does not match its format', files: { f: 'x' }, args: { path: '{{ test_dir }}/f', modification_time: '2020-01-01' }, plan: { changed: false, failed: /does not match format '%Y%m%d%H%M\.%S'/ } },
  { name: 'times on a link are refused', files: { t: 'y' }, args: { path: '{{ test_dir }}/l', src: 't', state: 'link', modification_time: '202001011200.00' }, plan: { changed: false, failed: /not supported with state: link/ } },
];
export default table;
