import type { Table } from './index.js';
import { fakeArgs, fakeFiles, ONE_MEMBER } from './etcd-fake.js';

const table: Table = () => [
  {
    name: 'saves and verifies a snapshot, then keeps it',
    files: fakeFiles({ list: ONE_MEMBER }),
    args: { ...fakeArgs, path: '{{ test_dir }}/snap.db' },
    plan: { changed: true },
    expect: { 'snap.db': 'snapshot' },
    result: { method: 'save', revision: 12, total_keys: 1007 },
  },
];
export default table;
