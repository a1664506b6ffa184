import type { Table } from './index.js';

const table: Table = () => [
  { name: 'replace the matching line', files: { f: 'A=1\nB=2\n' }, args: { path: '{{ test_dir }}/f', regexp: '^A=', line: 'A=9' }, plan: { changed: true }, expect: { f: 'A=9\nB=2\n' } },
  // As Ansible's lineinfile (os.path.realpath): the file a symlink points to is edited, the link stays.
  { name: 'through a symlink, the target is edited', files: { target: 'A=1\n' }, setup: 'ln -s target link', args: { path: '{{ test_dir }}/link', regexp: '^A=', line: 'A=9' }, plan: { changed: true }, expect: { target: 'A=9\n' } },
  { name: 'backrefs: the line is built from the match', files: { f: 'REF a b REF\nB=2\n' }, args: { path: '{{ test_dir }}/f', regexp: '^(REF) .* (?P<last>\\w+)$', line: '\\1 is \\g<last>', backrefs: true }, plan: { changed: true }, expect: { f: 'REF is REF\nB=2\n' } },
  { name: 'backrefs without a match leaves the file alone', files: { f: 'A=1\n' }, args: { path: '{{ test_dir }}/f', regexp: '^(Z)=', line: '\\1=2', backrefs: true }, plan: { changed: false }, expect: { f: 'A=1\n' } },
  { name: 'backrefs needs regexp', files: { f: 'A=1\n' }, args: { path: '{{ test_dir }}/f', line: 'x', backrefs: true }, plan: { changed: false, failed: /regexp is required with backrefs=true/ } },
  { name: 'insert at the end', files: { f: 'A=1' }, args: { path: '{{ test_dir }}/f', line: 'C=3' }, plan: { changed: true }, expect: { f: 'A=1\nC=3\n' } },
  { name: 'insert before', files: { f: 'A=1\nB=2\n' }, args: { path: '{{ test_dir }}/f', line: 'X', insertbefore: '^B' }, plan: { changed: true }, expect: { f: 'A=1\nX\nB=2\n' } },
  { name: 'remove', files: { f: 'A=1\nB=2\n' }, args: { path: '{{ test_dir }}/f', regexp: '^B', state: 'absent' }, plan: { changed: true }, expect: { f: 'A=1\n' } },
  { name: 'already there', files: { f: 'A=1\n' }, args: { path: '{{ test_dir }}/f', line: 'A=1' }, plan: { changed: false } },
  { name: 'line is required', files: { f: '' }, args: { path: '{{ test_dir }}/f' }, plan: { changed: false, failed: /line is required/ } },
  { name: 'only the mode differs: set alone, in Ansible\'s words', files: { f: { content: 'A=1\n', mode: 0o600 } }, args: { path: '{{ test_dir }}/f', line: 'A=1', mode: '0644' }, plan: { changed: true }, expect: { f: { content: 'A=1\n', mode: 0o644 } }, result: { msg: 'ownership, perms or SE linux context changed' } },
  { name: 'a line and a mode in one write', files: { f: { content: 'A=1\n', mode: 0o644 } }, args: { path: '{{ test_dir }}/f', line: 'B=2', mode: '0600' }, plan: { changed: true }, expect: { f: { content: 'A=1\nB=2\n', mode: 0o600 } }, result: { msg: 'line added and ownership, perms or SE linux context changed' } },
  { name: 'a created file is born with its mode', args: { path: '{{ test_dir }}/new', line: 'secret', create: true, mode: '0600' }, plan: { changed: true }, expect: { new: { content: 'secret\n', mode: 0o600 } } },
  { name: 'a symbolic mode is refused, naming it', files: { f: 'A=1\n' }, args: { path: '{{ test_dir }}/f', line: 'A=1', mode: 'u+x' }, plan: { changed: false, failed: /mode "u\+x" is not supported/ } },
  { name: 'dest is another name for path', files: { f: 'a\n' }, args: { dest: '{{ test_dir }}/f', line: 'b' }, plan: { changed: true }, expect: { f: 'a\nb\n' } },
];
export default table;
