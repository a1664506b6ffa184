import type { Table } from './index.js';
import { fakeArgs, fakeFiles, TWO_MEMBERS } from './etcd-fake.js';

const table: Table = () => [
  {
    name: 'reads the cluster and changes nothing',
    files: fakeFiles({ list: TWO_MEMBERS }),
    args: fakeArgs,
    plan: { changed: false },
    checkResult: { quorum: true, member_count: 2, healthy_count: 2, survivor: { id: 'c479d7c05edc42ff', name: 'master-0.example.com' } },
    result: { quorum: true, leader: 'c479d7c05edc42ff' },
  },
];
export default table;
