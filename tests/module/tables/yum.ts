import type { Table } from './index.js';

// Cases that change no machine: refusals, and packages already as asked (in an empty installroot).
// The same implementation as dnf (tables/dnf.ts); for real: tests/module/dnf-installroot.test.ts.
const table: Table = () => [
  { name: 'an Ansible argument tsplay does not have is refused by name', args: { name: 'bash', autoremove: true }, plan: { changed: false, failed: /unsupported argument 'autoremove'/ } },
  { name: 'nothing to do is an error naming what to give', args: { state: 'present' }, plan: { changed: false, failed: /one of the following is required: name, update_cache/ } },
  { name: 'a group is refused with the way out', args: { name: '@Development Tools' }, plan: { changed: false, failed: /groups and modules \(@name\) are not supported.*dnf group install/ } },
  { name: "name: '*' is refused", args: { name: '*', state: 'latest' }, plan: { changed: false, failed: /name: '\*' \(upgrade every installed package\) is not supported/ } },
  { name: 'an rpm URL is refused with the way out', args: { name: 'https://example.invalid/x-1.0.noarch.rpm' }, plan: { changed: false, failed: /is an rpm file or URL.*use command: dnf install/ } },
  { name: 'a provided file is refused', args: { name: '/usr/bin/ls' }, plan: { changed: false, failed: /a file a package provides is not supported/ } },
  { name: 'an unknown state is refused', args: { name: 'bash', state: 'fixed' }, plan: { changed: false, failed: /state/ } },
  {
    name: 'absent: a package not installed under the root is left alone, in one look',
    args: { name: 'tsplay-no-such-package', state: 'removed', installroot: '{{ test_dir }}' },
    plan: { changed: false },
    result: { msg: 'Nothing to do', results: [], rc: 0 },
  },
];
export default table;
