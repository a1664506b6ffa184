import type { Table } from './index.js';
import { fakeArgs, fakeFiles, ONE_MEMBER, TWO_MEMBERS } from './etcd-fake.js';

const table: Table = () => [
  {
    name: 'removes a member by hex ID, once',
    files: fakeFiles({ list: TWO_MEMBERS, after: ONE_MEMBER }),
    args: { ...fakeArgs, id: '24dab00a8616902d', state: 'absent' },
    plan: { changed: true },
    checkResult: { msg: 'would remove member master-1.example.com (24dab00a8616902d)' },
    result: { action: 'remove', member: { id: '24dab00a8616902d' } },
    expect: { 'list.json': ONE_MEMBER },
  },
  {
    name: 'a member that is present is no change, with its etcd.conf values',
    files: fakeFiles({ list: TWO_MEMBERS }),
    args: { ...fakeArgs, name: 'master-1.example.com', peer_urls: 'https://127.0.10.2:2380' },
    plan: { changed: false },
    result: {
      ETCD_INITIAL_CLUSTER: 'master-0.example.com=https://127.0.10.1:2380,master-1.example.com=https://127.0.10.2:2380',
      ETCD_INITIAL_CLUSTER_STATE: 'existing',
    },
  },
  {
    name: 'refuses a removal that loses quorum, in numbers',
    files: fakeFiles({ list: TWO_MEMBERS, health: '[{"endpoint":"https://127.0.10.1:2379","health":true},{"endpoint":"https://127.0.10.2:2379","health":false}]' }),
    args: { ...fakeArgs, name: 'master-0.example.com', state: 'absent' },
    plan: { changed: false, failed: 'refusing to remove member master-0.example.com (c479d7c05edc42ff): 1 of 2 healthy: quorum lost (needs 2), so a member removal cannot commit; restore quorum first (force: true tries anyway)' },
  },
];
export default table;
