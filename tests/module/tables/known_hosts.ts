import type { Table } from './index.js';

// Real public keys (made for these cases), in a file of the scratch directory (path).
const ED1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAUzVqElhjagEDV+0hiyyJWGAd+nyDE8dfqptyBc6VPP';
const ED2 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFtZ3WaZ8Y3zxL3WouRRudn+yW1uzCvhnZkof5RPdddj';
const EC = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHECLW9d9xTs4eTPgSR6sV/YLWP3Kjv3pGgClVrSdyLb8kveKOLPs6z7fenVdh7cNK09KDT3cRjv1c/iM+s840E=';
const other = `other.example.com ${ED2}\n`;

const table: Table = () => [
  {
    name: 'a key added to a new file',
    args: { name: 'git.example.com', key: `git.example.com ${ED1}`, path: '{{ test_dir }}/known_hosts' },
    plan: { changed: true },
    diff: [{ path: 'known_hosts', before: '', after: `git.example.com ${ED1}\n` }],
    expect: { known_hosts: `git.example.com ${ED1}\n` },
    result: { name: 'git.example.com', path: /\/known_hosts$/, hash_host: false, state: 'file', mode: '0644', size: 97 },
  },
  {
    name: 'the key already there: nothing changes',
    files: { known_hosts: `${other}git.example.com ${ED1}\n` },
    args: { name: 'git.example.com', key: `git.example.com ${ED1}`, path: '{{ test_dir }}/known_hosts' },
    plan: { changed: false },
    diff: [],
  },
  {
    name: 'another key of the same type is replaced, other hosts stay',
    files: { known_hosts: `git.example.com ${ED2}\n${other}` },
    args: { name: 'git.example.com', key: `git.example.com ${ED1}`, path: '{{ test_dir }}/known_hosts' },
    plan: { changed: true },
    expect: { known_hosts: `${other}git.example.com ${ED1}\n` },
  },
  {
    name: 'a key of another type is added beside',
    files: { known_hosts: `git.example.com ${EC}\n` },
    args: { name: 'git.example.com', key: `git.example.com ${ED1}`, path: '{{ test_dir }}/known_hosts' },
    plan: { changed: true },
    expect: { known_hosts: `git.example.com ${EC}\ngit.example.com ${ED1}\n` },
  },
  {
    name: 'hash_host writes the name hashed; a second run finds it',
    args: { name: 'git.example.com', key: `git.example.com ${ED1}`, path: '{{ test_dir }}/known_hosts', hash_host: true },
    plan: { changed: true },
    diff: [{ path: 'known_hosts', after: /^\|1\|[A-Za-z0-9+/=]{28}\|[A-Za-z0-9+/=]{28} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAUzVqElhjagEDV\+0hiyyJWGAd\+nyDE8dfqptyBc6VPP\n$/ }],
  },
  {
    name: 'state: absent with a key removes that key',
    files: { known_hosts: `git.example.com ${EC}\ngit.example.com ${ED1}\n${other}` },
    args: { name: 'git.example.com', key: `git.example.com ${ED1}`, path: '{{ test_dir }}/known_hosts', state: 'absent' },
    plan: { changed: true },
    expect: { known_hosts: `git.example.com ${EC}\n${other}` },
  },
  {
    name: 'state: absent without a key removes every key of the host',
    files: { known_hosts: `git.example.com ${EC}\n${other}git.example.com ${ED1}\n` },
    args: { name: 'git.example.com', path: '{{ test_dir }}/known_hosts', state: 'absent' },
    plan: { changed: true },
    expect: { known_hosts: other },
  },
  { name: 'a host that is not there stays absent', files: { known_hosts: other }, args: { name: 'git.example.com', path: '{{ test_dir }}/known_hosts', state: 'absent' }, plan: { changed: false } },
  { name: 'a key naming another host', args: { name: 'git.example.com', key: `other.example.com ${ED1}`, path: '{{ test_dir }}/known_hosts' }, plan: { changed: false, failed: 'Host parameter does not match hashed host field in supplied key' } },
  { name: 'state: present needs key', args: { name: 'git.example.com', path: '{{ test_dir }}/known_hosts' }, plan: { changed: false, failed: 'No key specified when adding a host' } },
  { name: "Ansible's alias host is refused by name", args: { host: 'git.example.com', key: `git.example.com ${ED1}` }, plan: { changed: false, failed: /host/ } },
];
export default table;
