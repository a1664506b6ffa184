import type { Table } from './index.js';

const table: Table = () => [
  { name: 'disable a manifest', files: { 'pods/controller.yaml': 'kind: Pod\n' }, args: { name: 'controller', state: 'disabled', pods_dir: '{{ test_dir }}/pods' }, plan: { changed: true }, expect: { 'pods/controller.yaml': null, 'pods/disabled/controller.yaml': 'kind: Pod\n' } },
  { name: 'stop etcd', files: { 'pods/etcd.yaml': 'e\n' }, args: { name: 'etcd', state: 'stopped', pods_dir: '{{ test_dir }}/pods' }, plan: { changed: true }, expect: { 'pods-stopped/etcd.yaml': 'e\n' } },
  { name: 'nowhere', args: { name: 'api', state: 'enabled', pods_dir: '{{ test_dir }}/pods' }, plan: { changed: false, failed: /no manifest for api/ } },
];
export default table;
