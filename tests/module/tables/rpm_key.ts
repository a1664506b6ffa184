import type { Table } from './index.js';

// Cases that change no rpm database. Importing and erasing for real: tests/module/rpm-key.test.ts.
const table: Table = () => [
  { name: 'an argument rpm_key does not have is refused by name', args: { key: 'DEADBEEF', keyring: '/tmp/x' }, plan: { changed: false, failed: /unsupported argument 'keyring'/ } },
  { name: 'absent: a key id rpm does not have is left alone', args: { key: '0xDEADBEEF', state: 'absent' }, plan: { changed: false } },
  { name: 'present: a key id alone cannot be imported', args: { key: 'DEADBEEFDEADBEEF' }, plan: { changed: false, failed: /When importing a key, a valid file must be given/ } },
  { name: 'a missing key file is not a valid key', args: { key: '{{ test_dir }}/missing.asc' }, plan: { changed: false, failed: /Not a valid key .*missing\.asc/ } },
  { name: 'a file that is not a key is refused', files: { 'key.asc': 'hello\n' }, args: { key: '{{ test_dir }}/key.asc' }, plan: { changed: false, failed: /is not an OpenPGP public key/ } },
];
export default table;
