import type { Table } from './index.js';

const table: Table = () => [
  { name: 'a file', files: { f: 'hello\n' }, args: { path: '{{ test_dir }}/f' }, plan: { changed: false }, result: { stat: { exists: true, isreg: true, size: 6, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f' } } },
  { name: 'nothing there', args: { path: '{{ test_dir }}/nope' }, plan: { changed: false }, result: { stat: { exists: false } } },
  {
    name: "Ansible's other fields",
    files: { f: 'hello\n' },
    args: { path: '{{ test_dir }}/f', checksum_algorithm: 'sha256' },
    plan: { changed: false },
    result: { stat: { nlink: 1, isreg: true, islnk: false, readable: true, rusr: true, xusr: false, isuid: false, mimetype: /./, checksum: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03' } },
  },
  { name: 'a symlink, not followed', files: { f: 'x\n' }, setup: 'ln -s f l', args: { path: '{{ test_dir }}/l' }, plan: { changed: false }, result: { stat: { exists: true, islnk: true, lnk_target: 'f', lnk_source: /\/f$/, checksum: undefined } } },
];
export default table;
