import type { Table } from './index.js';

// Every host the tables run on (this machine, the test sshd, a lab host) is Debian without rpm.
const table: Table = () => [
  {
    name: 'the installed packages, by name, as Ansible shapes them',
    args: {},
    plan: { changed: false },
    result: { ansible_facts: { packages: { dpkg: { 0: { name: 'dpkg', version: /^\d[\w.+~:-]*$/, arch: /^\w+$/, category: 'admin', source: 'apt' } } } } },
  },
  { name: 'apt asked by name', args: { manager: 'apt' }, plan: { changed: false }, result: { ansible_facts: { packages: { dpkg: { 0: { source: 'apt' } } } } } },
  // The tests' machine has rpm beside dpkg (.ci/run installs it for dnf's tests).
  { name: 'rpm asked by name', args: { manager: ['rpm'] }, plan: { changed: false }, result: { ansible_facts: { packages: {} } } },
  { name: 'a manager tsplay does not read', args: { manager: 'pacman' }, plan: { changed: false, failed: /Unsupported package managers requested: pacman/ } },
  { name: 'an unknown argument', args: { managers: 'apt' }, plan: { changed: false, failed: /unsupported argument 'managers'/ } },
];
export default table;
