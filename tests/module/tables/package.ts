import type { Table } from './index.js';

// Every host the tables run on is Debian: package is apt there. Installing for real: tests/compat/parity-packages.test.ts.
const table: Table = () => [
  { name: 'on a Debian host an installed package is left alone, by apt', args: { name: 'dpkg', state: 'present' }, plan: { changed: false }, result: { cache_updated: false } },
  { name: 'use: apt says so', args: { name: ['dpkg'], use: 'apt' }, plan: { changed: false } },
  { name: 'the pkg_mgr fact decides when gathered', vars: { ansible_facts: { pkg_mgr: 'yum' } }, args: { name: 'dpkg' }, plan: { changed: false, failed: /the host's manager is yum, and tsplay has no yum module yet/ } },
  { name: "apt's refusals hold", args: { name: 'dpkg', state: 'present', upgrade: 'dist' }, plan: { changed: false, failed: /unsupported argument 'upgrade'/ } },
  { name: 'a package no source has is an error', args: { name: 'tsplay-no-such-package', state: 'present' }, plan: { changed: false, failed: /No package matching 'tsplay-no-such-package' is available/ } },
];
export default table;
