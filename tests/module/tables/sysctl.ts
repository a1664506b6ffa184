import type { Table } from './index.js';

// The file cases use a sysctl_file in the scratch directory and reload: false;
// the reload cases read the real kernel but name only keys that no kernel has
// or values it already holds, so nothing on the host changes.
const tuned = '# tuning\nvm.swappiness = 60\nnet.core.somaxconn=1024\nvm.swappiness=30\n';

const table: Table = () => [
  {
    name: 'a key in a new file',
    args: { name: 'kernel.tsplay_test', value: '1', sysctl_file: '{{ test_dir }}/s.conf', reload: false },
    plan: { changed: true },
    diff: [{ path: 's.conf', before: '', after: 'kernel.tsplay_test=1\n' }],
    expect: { 's.conf': 'kernel.tsplay_test=1\n' },
  },
  {
    name: 'a new value: the file is rewritten as Ansible does (key=value, duplicates dropped)',
    files: { 's.conf': tuned },
    args: { name: 'vm.swappiness', value: '10', sysctl_file: '{{ test_dir }}/s.conf', reload: false },
    plan: { changed: true },
    expect: { 's.conf': '# tuning\nvm.swappiness=10\nnet.core.somaxconn=1024\n' },
  },
  {
    name: 'the value already there: nothing changes',
    files: { 's.conf': 'vm.swappiness = 10\n' },
    args: { name: 'vm.swappiness', value: 10, sysctl_file: '{{ test_dir }}/s.conf', reload: false },
    plan: { changed: false },
    diff: [],
    expect: { 's.conf': 'vm.swappiness = 10\n' },
  },
  {
    name: 'yes is 1',
    args: { name: 'net.ipv4.ip_forward', value: 'yes', sysctl_file: '{{ test_dir }}/s.conf', reload: false },
    plan: { changed: true },
    expect: { 's.conf': 'net.ipv4.ip_forward=1\n' },
  },
  {
    name: 'state: absent removes the key',
    files: { 's.conf': tuned },
    args: { name: 'vm.swappiness', state: 'absent', sysctl_file: '{{ test_dir }}/s.conf', reload: false },
    plan: { changed: true },
    expect: { 's.conf': '# tuning\nnet.core.somaxconn=1024\n' },
  },
  {
    name: "reload: the kernel's value is the file's, nothing to reload",
    files: { 's.conf': 'kernel.ostype=Linux\n' },
    args: { name: 'kernel.ostype', value: 'Linux', sysctl_file: '{{ test_dir }}/s.conf' },
    plan: { changed: false },
  },
  {
    name: 'reload with ignoreerrors: a key the kernel lacks is written, and reloading it changes every time',
    args: { name: 'kernel.tsplay_no_such_key', value: '1', sysctl_file: '{{ test_dir }}/s.conf', ignoreerrors: true },
    plan: { changed: true },
    expect: { 's.conf': 'kernel.tsplay_no_such_key=1\n' },
    idempotent: false,
  },
  {
    name: 'reload without ignoreerrors: a key the kernel lacks fails the reload',
    args: { name: 'kernel.tsplay_no_such_key', value: '1', sysctl_file: '{{ test_dir }}/s.conf' },
    plan: { changed: true },
    applied: { changed: true, failed: /^Failed to reload sysctl: .*tsplay_no_such_key/s },
  },
  { name: 'state: present needs value', args: { name: 'vm.swappiness', sysctl_file: '{{ test_dir }}/s.conf' }, plan: { changed: false, failed: /missing: value/ } },
  { name: "Ansible's alias key is refused by name", args: { key: 'vm.swappiness', value: '1' }, plan: { changed: false, failed: /key/ } },
];
export default table;
