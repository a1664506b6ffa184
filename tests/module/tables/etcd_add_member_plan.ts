import type { Table } from './index.js';
import { IDS, NAME, facts, loopResults, view } from './etcd-views.js';

// master-2 was repaired: master-0 and master-1 hold quorum (2 of 3 healthy), master-2's member is listed but unhealthy.
const M = [0, 1, 2].map(NAME) as [string, string, string];
const twoOfThree = view([40, 40, undefined], 2);
const base = {
  host: M[2],
  etcd_hosts: M,
  inventory_hosts: [...M, 'lb.example.com'],
  up_hosts: M,
  status: loopResults({ [M[0]]: twoOfThree, [M[1]]: twoOfThree }),
  facts: loopResults({ [M[0]]: facts(0), [M[1]]: facts(1), [M[2]]: facts(2) }),
};

const table: Table = () => [
  {
    name: 'the repaired host joins through the first member with quorum, under the name and peer URL of its own etcd.conf',
    args: base,
    plan: { changed: false },
    result: {
      host: M[2],
      name: M[2],
      peer_url: 'https://10.0.0.3:2380',
      through: M[0],
      through_url: 'https://10.0.0.1:2379',
      already_healthy: false,
      existing_member: { id: IDS[2], name: M[2] },
      healthy_count: 2,
      member_count: 3,
      summary: `adding ${M[2]} through ${M[0]} (2 of 3 members healthy)`,
    },
  },
  {
    name: 'a host that is a healthy member already: nothing to do',
    args: { ...base, status: loopResults({ [M[0]]: view([40, 40, 40], 3) }) },
    plan: { changed: false },
    result: { already_healthy: true, summary: `${M[2]} (${M[2]}) is a healthy member already: nothing to do` },
  },
  {
    name: 'the member that answers first without quorum is passed over for one with it',
    args: { ...base, status: loopResults({ [M[0]]: { ...twoOfThree, quorum: false }, [M[1]]: twoOfThree }) },
    plan: { changed: false },
    result: { through: M[1], through_url: 'https://10.0.0.2:2379' },
  },
  {
    name: 'without a host: refused, listing the inventory',
    args: { ...base, host: null },
    plan: { changed: false, failed: `give the host to add: -e host=HOST (one of ${M.join(', ')}, lb.example.com)` },
  },
  {
    name: 'a host the inventory does not know: refused',
    args: { ...base, host: 'master-7.example.com' },
    plan: { changed: false, failed: /^give the host to add: -e host=HOST/ },
  },
  {
    name: 'a host that is down: refused',
    args: { ...base, up_hosts: [M[0], M[1]] },
    plan: { changed: false, failed: `${M[2]} does not answer on its SSH port: start it first` },
  },
  {
    name: 'a host whose name and peer URL could not be learned: refused, saying which variables supply them',
    args: { ...base, facts: loopResults({ [M[0]]: facts(0) }) },
    plan: { changed: false, failed: /^master-2\.example\.com: its member name and peer URL could not be learned \(.*set etcd_hostname and etcd_ip/ },
  },
  {
    name: 'quorum lost: refused, naming the hosts asked',
    args: { ...base, status: loopResults({ [M[0]]: view([40, undefined, undefined]) }), up_hosts: [M[0], M[2]] },
    plan: { changed: false, failed: `no etcd member answers with quorum (through ${M[0]}): restore quorum first (playbooks/restore-quorum.yml)` },
  },
];
export default table;
