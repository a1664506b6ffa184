import type { Table } from './index.js';

// A tree: two logs (one ten days old), a hidden file, a subdirectory with a log and a config, a symlink.
const tree = {
  'a.log': 'error: disk full\nok\n',
  'b.txt': 'hello\n',
  '.hidden.log': 'secret\n',
  'sub/c.log': 'all good\n',
  'sub/deeper/d.conf': 'x=1\n',
};
const setup = "touch -d '10 days ago' a.log && ln -s b.txt link && truncate -s 20k sub/big.bin";

const table: Table = () => [
  { name: 'every file at the top, hidden ones left out', files: tree, setup, args: { paths: '{{ test_dir }}' }, plan: { changed: false }, result: { matched: 2, examined: 5, msg: 'All paths examined', skipped_paths: {} } },
  { name: 'hidden: true includes dot files', files: tree, setup, args: { paths: '{{ test_dir }}', hidden: true }, plan: { changed: false }, result: { matched: 3 } },
  { name: 'patterns and recurse', files: tree, setup, args: { paths: ['{{ test_dir }}'], patterns: '*.log', recurse: true }, plan: { changed: false }, result: { matched: 2, examined: 9 } },
  { name: 'excludes', files: tree, setup, args: { paths: '{{ test_dir }}', patterns: ['*.log', '*.txt'], excludes: 'b*', recurse: true }, plan: { changed: false }, result: { matched: 2 } },
  { name: 'use_regex matches from the start of the name', files: tree, setup, args: { paths: '{{ test_dir }}', patterns: '[ab]\\.(log|txt)$', use_regex: true }, plan: { changed: false }, result: { matched: 2 } },
  { name: 'use_regex does not search inside the name', files: tree, setup, args: { paths: '{{ test_dir }}', patterns: 'log', use_regex: true }, plan: { changed: false }, result: { matched: 0, files: [] } },
  { name: 'age: older than a week', files: tree, setup, args: { paths: '{{ test_dir }}', age: '1w' }, plan: { changed: false }, result: { matched: 1 } },
  { name: 'age: negative, newer than a day', files: tree, setup, args: { paths: '{{ test_dir }}', age: '-1d', recurse: true }, plan: { changed: false }, result: { matched: 4 } },
  { name: 'size: at least 10k', files: tree, setup, args: { paths: '{{ test_dir }}', size: '10k', recurse: true }, plan: { changed: false }, result: { matched: 1 } },
  { name: 'contains: a line that starts with a match', files: tree, setup, args: { paths: '{{ test_dir }}', contains: 'error', recurse: true }, plan: { changed: false }, result: { matched: 1 } },
  { name: 'contains matches from the start of a line only', files: tree, setup, args: { paths: '{{ test_dir }}', contains: 'good', recurse: true }, plan: { changed: false }, result: { matched: 0 } },
  { name: 'contains with read_whole_file searches anywhere', files: tree, setup, args: { paths: '{{ test_dir }}', contains: 'good', read_whole_file: true, recurse: true }, plan: { changed: false }, result: { matched: 1 } },
  { name: 'file_type: directory', files: tree, setup, args: { paths: '{{ test_dir }}', file_type: 'directory', recurse: true }, plan: { changed: false }, result: { matched: 2 } },
  { name: 'file_type: link', files: tree, setup, args: { paths: '{{ test_dir }}', file_type: 'link' }, plan: { changed: false }, result: { matched: 1 } },
  { name: 'file_type: any', files: tree, setup, args: { paths: '{{ test_dir }}', file_type: 'any' }, plan: { changed: false }, result: { matched: 4 } },
  { name: 'depth 1 with recurse stays at the top', files: tree, setup, args: { paths: '{{ test_dir }}', recurse: true, depth: 1 }, plan: { changed: false }, result: { matched: 2 } },
  { name: 'get_checksum', files: { 'b.txt': 'hello\n' }, args: { paths: '{{ test_dir }}', get_checksum: true }, plan: { changed: false }, result: { matched: 1 } },
  { name: 'an age that does not parse fails', args: { paths: '{{ test_dir }}', age: '3 days' }, plan: { changed: false, failed: /failed to process age/ } },
];
export default table;
