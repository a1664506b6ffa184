import type { Table } from './index.js';

// tempfile is skipped in check mode (as in Ansible) and makes a new name on every run.
const table: Table = () => [
  { name: 'a file in the given directory', args: { path: '{{ test_dir }}', prefix: 'work.', suffix: '.tmp' }, plan: { changed: false, skipped: true }, applied: { changed: true }, idempotent: false, result: { path: /\/work\.[A-Za-z0-9]{8}\.tmp$/, mode: '0600', state: 'file', size: 0 } },
  { name: 'a directory', args: { state: 'directory', path: '{{ test_dir }}' }, plan: { changed: false, skipped: true }, applied: { changed: true }, idempotent: false, result: { path: /\/ansible\.[A-Za-z0-9]{8}$/, mode: '0700', state: 'directory' } },
  { name: 'a missing directory fails', args: { path: '{{ test_dir }}/nope' }, plan: { changed: false, skipped: true }, applied: { changed: false, failed: /nope/ } },
];
export default table;
