import type { Table } from './index.js';

// Cases that change no machine (this one included): refusals, and packages already as asked.
// Installing and removing for real is on a lab host, from a repository the test builds (apt-lab.test.ts).
const table: Table = () => [
  { name: 'an Ansible argument tsplay does not have is refused by name', args: { name: 'dpkg', upgrade: 'dist' }, plan: { changed: false, failed: /unsupported argument 'upgrade'/ } },
  { name: 'nothing to do is an error naming what to give', args: { state: 'present' }, plan: { changed: false, failed: /one of the following is required: autoremove, deb, package, update_cache, upgrade/ } },
  { name: 'deb and name together are refused', args: { name: 'dpkg', deb: '/tmp/x.deb' }, plan: { changed: false, failed: /mutually exclusive: deb\|package/ } },
  { name: 'a minimum version is refused with the way out', args: { name: 'dpkg>=1.0' }, plan: { changed: false, failed: /a minimum version \(>=\) is not supported/ } },
  { name: 'two = in a spec is invalid', args: { name: 'dpkg=1=2' }, plan: { changed: false, failed: /invalid package spec: dpkg=1=2/ } },
  { name: 'an installed package is left alone', args: { name: 'dpkg' }, plan: { changed: false }, result: { cache_updated: false } },
  { name: 'an installed package matching a version pattern is left alone', args: { name: ['dpkg=1*'] }, plan: { changed: false } },
  { name: 'a package no source has is an error', args: { name: 'tsplay-no-such-package' }, plan: { changed: false, failed: /No package matching 'tsplay-no-such-package' is available/ } },
  { name: 'absent: a package that is not installed is left alone', args: { name: 'tsplay-no-such-package', state: 'absent' }, plan: { changed: false } },
  { name: 'a missing .deb file is an error', args: { deb: '{{ test_dir }}/missing.deb' }, plan: { changed: false, failed: /missing\.deb does not exist on the host/ } },
  { name: 'a .deb from a URL is refused with the way out', args: { deb: 'https://example.invalid/x.deb' }, plan: { changed: false, failed: /is a URL.*fetch it first/ } },
  { name: 'deb with state: absent is refused', args: { deb: '/tmp/x.deb', state: 'absent' }, plan: { changed: false, failed: /deb only supports state=present/ } },
];
export default table;
