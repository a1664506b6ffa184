import type { Table } from './index.js';
import { fakeArgs, fakeFiles, ONE_MEMBER } from './etcd-fake.js';

const NOSPACE = 'memberID:14157584124841050879 alarm:NOSPACE \n';
const nospace = [{ member_id: 'c479d7c05edc42ff', alarm: 'NOSPACE' }];

const table: Table = () => [
  {
    name: 'lists the alarms and changes nothing',
    files: fakeFiles({ list: ONE_MEMBER, alarms: NOSPACE }),
    args: fakeArgs,
    plan: { changed: false },
    result: { alarms: nospace },
    expect: { 'alarms.txt': NOSPACE },
  },
  {
    name: 'disarms NOSPACE and lists again',
    files: fakeFiles({ list: ONE_MEMBER, alarms: NOSPACE }),
    args: { ...fakeArgs, disarm: true },
    plan: { changed: true },
    checkResult: { alarms_before: nospace },
    result: { alarms_before: nospace, alarms: [] },
    expect: { 'alarms.txt': '' },
  },
  {
    name: 'with no alarm raised there is nothing to disarm',
    files: fakeFiles({ list: ONE_MEMBER, alarms: '' }),
    args: { ...fakeArgs, disarm: true },
    plan: { changed: false },
    result: { alarms_before: [], alarms: [] },
  },
  {
    name: 'never disarms a CORRUPT alarm',
    files: fakeFiles({ list: ONE_MEMBER, alarms: `${NOSPACE}memberID:2655628489534115885 alarm:CORRUPT \n` }),
    args: { ...fakeArgs, disarm: true },
    plan: { changed: false, failed: /CORRUPT on 24dab00a8616902d: it is not disarmed .*Nothing was disarmed/ },
  },
];
export default table;
