import type { Table } from './index.js';
import { fakeArgs, fakeFiles, ONE_MEMBER, statusWithSize, TWO_MEMBERS } from './etcd-fake.js';

const FRAGMENTED = statusWithSize(4_194_304, 122_880);
const COMPACT = statusWithSize(122_880, 122_880);

const table: Table = () => [
  {
    name: 'defragments the member and reports its DB size before and after',
    files: fakeFiles({ list: ONE_MEMBER, status: FRAGMENTED, statusAfter: COMPACT }),
    args: fakeArgs,
    plan: { changed: true },
    checkResult: { name: 'master-0.example.com', is_leader: true, db_size_before: 4_194_304, db_size_in_use_before: 122_880 },
    result: { name: 'master-0.example.com', db_size_before: 4_194_304, db_size_after: 122_880, command_timeout: '30s' },
  },
  {
    name: 'leaves a member with nothing free alone',
    files: fakeFiles({ list: ONE_MEMBER, status: COMPACT }),
    args: fakeArgs,
    plan: { changed: false },
    result: { db_size_before: 122_880, db_size_after: 122_880 },
  },
  {
    name: 'refuses while another member does not answer, defragmenting nothing',
    // The stand-in answers every endpoint's status as master-0: master-1 is unreachable.
    files: fakeFiles({ list: TWO_MEMBERS, status: FRAGMENTED, statusAfter: COMPACT }),
    args: fakeArgs,
    plan: { changed: false, failed: /member master-1\.example\.com \(https:\/\/127\.0\.10\.2:2379: .*\) is not healthy: .*quorum at risk\. Nothing was defragmented/ },
    expect: { 'status.json': FRAGMENTED },
  },
  {
    name: 'refuses a command timeout that is not a duration',
    files: fakeFiles({ list: ONE_MEMBER, status: FRAGMENTED }),
    args: { ...fakeArgs, command_timeout: 'soon' },
    plan: { changed: false, failed: /^command_timeout: 'soon' is not a duration \(e\.g\. 30s, 2m\)/ },
  },
];
export default table;
