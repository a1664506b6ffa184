import type { Table } from './index.js';

// Cases that change no machine (this one and the SSH test host are the same): refusals, and a line
// that is nowhere being removed. Adding and removing for real, with apt-get update, is on a lab host
// (apt-repository-lab.test.ts); the files as Ansible writes them, in a folder apt is pointed at
// (tests/compat/parity-archives.test.ts).
const table: Table = () => [
  { name: 'a PPA is refused, naming the way out', args: { repo: 'ppa:deadsnakes/ppa' }, plan: { changed: false, failed: /PPA repositories \('ppa:deadsnakes\/ppa'\) are not supported: give the deb line/ } },
  { name: 'a line that is not a deb line is invalid', args: { repo: 'http://deb.example.org/debian stable main' }, plan: { changed: false, failed: 'Invalid repository string: http://deb.example.org/debian stable main' } },
  { name: 'a disabled line is invalid', args: { repo: '# deb http://deb.example.org/debian stable main' }, plan: { changed: false, failed: /^Invalid repository string: +deb http/ } },
  { name: 'an empty repo is refused', args: { repo: '' }, plan: { changed: false, failed: "Please set argument 'repo' to a non-empty value" } },
  { name: 'a symbolic mode is refused', args: { repo: 'deb http://deb.example.org/debian stable main', mode: 'u=rw' }, plan: { changed: false, failed: /mode "u=rw" is not supported/ } },
  { name: "Ansible's update-cache alias is refused by name", args: { repo: 'deb http://deb.example.org/debian stable main', 'update-cache': false }, plan: { changed: false, failed: /unsupported argument 'update-cache'/ } },
  {
    name: 'absent: a line in no sources file changes nothing',
    args: { repo: 'deb http://tsplay-no-such-host.invalid/debian stable main', state: 'absent', update_cache: false, install_python_apt: false, validate_certs: false, codename: 'bookworm' },
    plan: { changed: false },
    result: { repo: 'deb http://tsplay-no-such-host.invalid/debian stable main', state: 'absent' },
  },
];
export default table;
