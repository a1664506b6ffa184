import type { Table } from './index.js';

const unit = '[Service]\nExecStart=/bin/bash -c "etcd --name=\\"${ETCD_NAME}\\""\n';

const table: Table = () => [
  {
    name: 'the force-new-cluster drop-in',
    files: { 'etcd.service': unit },
    setup: 'mkdir system',
    args: { unit: 'etcd', name: 'temp.conf', exec_start_append: '--force-new-cluster', unit_file: '{{ test_dir }}/etcd.service', dir: '{{ test_dir }}/system', daemon_reload: false },
    plan: { changed: true },
    expect: { 'system/etcd.service.d/temp.conf': '[Service]\nExecStart=\nExecStart=/bin/bash -c "etcd --name=\\"${ETCD_NAME}\\" --force-new-cluster"\n' },
  },
  {
    name: 'removed',
    files: { 'system/etcd.service.d/temp.conf': '[Service]\nExecStart=\n' },
    args: { unit: 'etcd', name: 'temp.conf', state: 'absent', dir: '{{ test_dir }}/system', daemon_reload: false },
    plan: { changed: true },
    expect: { 'system/etcd.service.d/temp.conf': null },
  },
  { name: 'nothing to write', args: { unit: 'etcd', name: 'temp.conf', dir: '{{ test_dir }}' }, plan: { changed: false, failed: /needs exactly one of content, sections, exec_start_append/ } },
];
export default table;
