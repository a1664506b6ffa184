import type { Table } from './index.js';

const inv = '# masters\n[masters]\nm0\nm1  # second\n\n[etcd]\nm0 etcd_ip=10.0.0.1\nm1 etcd_ip=10.0.0.2\n';

const table: Table = () => [
  {
    name: 'remove a host from two groups',
    files: { hosts: { content: inv, mode: 0o666 } },
    args: { path: '{{ test_dir }}/hosts', host: 'm1', groups: ['masters', 'etcd'], state: 'absent' },
    plan: { changed: true },
    expect: { hosts: '# masters\n[masters]\nm0\n\n[etcd]\nm0 etcd_ip=10.0.0.1\n' },
  },
  // A host name from host output carrying a line break Ansible's reader honours (U+2028): refused, the file untouched.
  {
    name: 'a host name with a Unicode line break is refused',
    files: { hosts: inv },
    args: { path: '{{ test_dir }}/hosts', host: 'm3\u2028[all:vars]\u2028ansible_become_exe=/tmp/x', groups: ['etcd'] },
    plan: { changed: false, failed: /hosts: the host name "m3\\u2028\[all:vars\].*" holds a line break \(U\+2028\) for Ansible's INI inventory reader/ },
    expect: { hosts: inv },
  },
  { name: 'a value with \\x85 is refused', files: { hosts: inv }, args: { path: '{{ test_dir }}/hosts', host: 'm3', groups: ['etcd'], vars: { etcd_ip: '10.0.0.3\x85[all:vars]' } }, plan: { changed: false, failed: /the value of etcd_ip .* holds a line break \(U\+0085\)/ }, expect: { hosts: inv } },
  { name: 'present already', files: { hosts: inv }, args: { path: '{{ test_dir }}/hosts', host: 'm0', groups: ['etcd'], vars: { etcd_ip: '10.0.0.1' } }, plan: { changed: false } },
  {
    name: 'move a host from [etcd] to a new [new_etcd] under [OSEv3:children], with its variables',
    files: { hosts: '[OSEv3:children]\netcd\n\n[etcd]\ne0 ansible_host=10.0.0.1\ne1 ansible_host=10.0.0.2 openshift_ip=10.0.0.2\n' },
    args: { path: '{{ test_dir }}/hosts', host: 'e1', groups: ['new_etcd'], move_from: 'etcd', parent_groups: ['OSEv3'] },
    plan: { changed: true },
    expect: { hosts: '[OSEv3:children]\netcd\nnew_etcd\n\n[etcd]\ne0 ansible_host=10.0.0.1\n\n[new_etcd]\ne1 ansible_host=10.0.0.2 openshift_ip=10.0.0.2\n' },
  },
  {
    name: 'moved already: no change',
    files: { hosts: '[OSEv3:children]\netcd\nnew_etcd\n\n[etcd]\ne0\n\n[new_etcd]\ne1 ansible_host=10.0.0.2\n' },
    args: { path: '{{ test_dir }}/hosts', host: 'e1', groups: ['new_etcd'], move_from: 'etcd', parent_groups: ['OSEv3'] },
    plan: { changed: false },
  },
  { name: 'move_from with state absent is refused', files: { hosts: inv }, args: { path: '{{ test_dir }}/hosts', host: 'm1', groups: ['etcd'], state: 'absent', move_from: 'masters' }, plan: { changed: false, failed: /state: absent takes no move_from or parent_groups/ }, expect: { hosts: inv } },
  { name: 'move_from also in groups is refused', files: { hosts: inv }, args: { path: '{{ test_dir }}/hosts', host: 'm1', groups: ['etcd', 'masters'], move_from: 'masters' }, plan: { changed: false, failed: /move_from: masters is also in groups/ }, expect: { hosts: inv } },
];
export default table;
