import type { Table } from './index.js';

// Every host the tables run on is Debian: package is apt there (even with dnf installed, as Ansible's pkg_mgr decides); on an rpm host it is dnf: tests/module/dnf-installroot.test.ts. Installing for real: tests/compat/parity-packages.test.ts.
const table: Table = () => [
  { name: 'on a Debian host an installed package is left alone, by apt', args: { name: 'dpkg', state: 'present' }, plan: { changed: false }, result: { cache_updated: false } },
  { name: 'use: apt says so', args: { name: ['dpkg'], use: 'apt' }, plan: { changed: false } },
  { name: 'the pkg_mgr fact decides when gathered', vars: { ansible_facts: { pkg_mgr: 'yum' } }, args: { name: 'dpkg', purge: true }, plan: { changed: false, failed: /purge is apt's, and this host's manager is dnf or yum/ } },
  { name: "use: dnf refuses apt's state fixed", args: { name: 'dpkg', use: 'dnf', state: 'fixed' }, plan: { changed: false, failed: /state 'fixed' is apt's/ } },
  { name: 'use: dnf answers with dnf', args: { name: 'tsplay-no-such-package', use: 'dnf', state: 'absent' }, plan: { changed: false }, result: { msg: 'Nothing to do', results: [], rc: 0 } },
  { name: 'a manager tsplay has no module for is named', args: { name: 'dpkg', use: 'zypper' }, plan: { changed: false, failed: /the host's manager is zypper, and tsplay has no zypper module \(it has apt, dnf and yum\)/ } },
  { name: "apt's refusals hold", args: { name: 'dpkg', state: 'present', upgrade: 'dist' }, plan: { changed: false, failed: /unsupported argument 'upgrade'/ } },
  { name: 'a package no source has is an error', args: { name: 'tsplay-no-such-package', state: 'present' }, plan: { changed: false, failed: /No package matching 'tsplay-no-such-package' is available/ } },
];
export default table;
