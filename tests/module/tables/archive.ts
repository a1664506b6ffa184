import type { Table } from './index.js';

// Sources in the case's directory: src/a.txt, src/sub/b.txt, src/skip.log; what the archives hold is
// checked by extracting them with the real tools in tests/module/archive-extract.test.ts.
const src = { 'src/a.txt': 'a\n', 'src/sub/b.txt': 'b\n', 'src/skip.log': 'log\n' };

const table: Table = () => [
  {
    name: 'a directory into a new tar.gz',
    files: src,
    args: { path: '{{ test_dir }}/src', dest: '{{ test_dir }}/out.tar.gz' },
    plan: { changed: true },
    expect: { 'out.tar.gz': { mode: 0o644 }, 'src/a.txt': 'a\n' },
    result: { dest_state: 'archive', state: 'archive', missing: [], arcroot: /\/$/ },
  },
  {
    name: 'one file is compressed beside itself (gz by default)',
    files: { 'app.log': 'line\n' },
    args: { path: '{{ test_dir }}/app.log' },
    plan: { changed: true },
    expect: { 'app.log': 'line\n' },
    result: { dest_state: 'compress', dest: /\/app\.log\.gz$/ },
  },
  { name: 'xz compression of one file', files: { 'app.log': 'line\n' }, args: { path: '{{ test_dir }}/app.log', format: 'xz' }, plan: { changed: true }, result: { dest: /\/app\.log\.xz$/, dest_state: 'compress' } },
  { name: 'bz2 tar of a tree, mode set', files: src, args: { path: '{{ test_dir }}/src', dest: '{{ test_dir }}/out.tbz2', format: 'bz2', mode: '0600' }, plan: { changed: true }, expect: { 'out.tbz2': { mode: 0o600 } } },
  { name: 'one file with format zip is archived', files: { 'app.log': 'line\n' }, args: { path: '{{ test_dir }}/app.log', format: 'zip' }, plan: { changed: true }, result: { dest: /\/app\.log\.zip$/, dest_state: 'archive' } },
  {
    name: 'a glob into a zip, a pattern left out',
    files: src,
    args: { path: '{{ test_dir }}/src/*', dest: '{{ test_dir }}/out.zip', format: 'zip', exclusion_patterns: ['*.log'] },
    plan: { changed: true },
    result: { dest_state: 'archive' },
  },
  {
    name: 'a missing source makes it incomplete',
    files: { 'a.txt': 'a\n' },
    args: { path: ['{{ test_dir }}/a.txt', '{{ test_dir }}/nope.txt'], dest: '{{ test_dir }}/out.tar' , format: 'tar' },
    plan: { changed: true },
    result: { dest_state: 'incomplete' },
  },
  {
    name: 'exclude_path takes an expanded path out',
    files: src,
    args: { path: ['{{ test_dir }}/src/a.txt', '{{ test_dir }}/src/skip.log'], exclude_path: ['{{ test_dir }}/src/*.log'], dest: '{{ test_dir }}/out.tar', format: 'tar' },
    plan: { changed: true },
    result: { dest_state: 'archive' },
  },
  {
    name: 'a source changed since: the archive is written again',
    files: src,
    setup: 'tar -czf out.tar.gz -C . src && printf "changed\\n" > src/a.txt',
    args: { path: '{{ test_dir }}/src', dest: '{{ test_dir }}/out.tar.gz' },
    plan: { changed: true },
  },
  {
    name: 'remove: the sources go once archived',
    files: src,
    args: { path: '{{ test_dir }}/src', dest: '{{ test_dir }}/out.tar.gz', remove: true },
    plan: { changed: true },
    expect: { 'src/a.txt': null, 'src/sub/b.txt': null },
  },
  { name: 'no source found fails', args: { path: '{{ test_dir }}/none*' }, plan: { changed: false, failed: 'Error, no source paths were found' } },
  { name: 'a tree without dest fails', files: src, args: { path: '{{ test_dir }}/src' }, plan: { changed: false, failed: 'Error, must specify "dest" when archiving multiple files or trees' } },
  { name: 'remove with the archive inside a source fails', files: src, args: { path: '{{ test_dir }}/src', dest: '{{ test_dir }}/src/x.tar.gz', remove: true }, plan: { changed: false, failed: /can not be contained in source paths/ } },
  { name: 'a symbolic mode is refused', files: src, args: { path: '{{ test_dir }}/src', dest: '{{ test_dir }}/x.tgz', mode: 'u+x' }, plan: { changed: false, failed: /mode "u\+x" is not supported/ } },
];
export default table;
