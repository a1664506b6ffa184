import type { Table } from './index.js';

const fl = 'FLANNEL_ETCD_ENDPOINTS=https://a:2379,https://b:2379\nFLANNEL_OPTIONS="-q"\n';

const table: Table = () => [
  {
    name: 'remove an endpoint (no restart)',
    files: { flanneld: fl },
    args: { path: '{{ test_dir }}/flanneld', remove_endpoints: ['https://b:2379'], restart: false },
    plan: { changed: true },
    expect: { flanneld: 'FLANNEL_ETCD_ENDPOINTS=https://a:2379\nFLANNEL_OPTIONS="-q"\n' },
    result: { etcd_endpoints: ['https://a:2379'] },
  },
  { name: 'the full list, already so', files: { flanneld: fl }, args: { path: '{{ test_dir }}/flanneld', etcd_endpoints: ['https://a:2379', 'https://b:2379'] }, plan: { changed: false } },
  { name: 'both ways at once', files: { flanneld: fl }, args: { path: '{{ test_dir }}/flanneld', etcd_endpoints: 'x', add_endpoints: ['y'] }, plan: { changed: false, failed: /not both/ } },
];
export default table;
