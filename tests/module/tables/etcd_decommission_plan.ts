import type { Table } from './index.js';
import { IDS, NAME, facts, loopResults, view } from './etcd-views.js';

// Four masters, each an etcd member, all up; quorum holds (4 of 4 healthy).
const M = [0, 1, 2, 3].map(NAME) as [string, string, string, string];
const healthy = view([30, 30, 30, 30], 4);
const base = {
  masters: M,
  etcd_hosts: M,
  inventory_hosts: [...M, 'lb.example.com'],
  up_hosts: [...M, 'lb.example.com'],
  status: loopResults({ [M[0]]: healthy, [M[1]]: healthy, [M[2]]: healthy }),
  facts: loopResults({ [M[0]]: facts(0), [M[1]]: facts(1), [M[2]]: facts(2), [M[3]]: facts(3) }),
};

const table: Table = () => [
  {
    name: 'deprecating the fourth master: three of each remain, its member goes by ID through the first remaining master',
    args: { ...base, master: M[3] },
    plan: { changed: false },
    result: {
      master: M[3],
      nothing_to_do: false,
      node_name: M[3],
      is_etcd: true,
      member: { id: IDS[3], name: M[3] },
      ca_master: M[0],
      remaining_masters: [M[0], M[1], M[2]],
      remaining_etcd: [M[0], M[1], M[2]],
      through: M[0],
      through_etcd_url: 'https://10.0.0.1:2379',
      client_urls: [`https://${M[3]}:2379`, 'https://10.0.0.4:2379'],
      summary: [
        `deprecating ${M[3]} (${M[3]}); 3 masters and 3 etcd members remain`,
        `the CA stays on ${M[0]}`,
        `etcd member ${M[3]} (${IDS[3]}) is removed through https://10.0.0.1:2379`,
      ],
    },
  },
  {
    name: 'deprecating the first master, which holds the CA: it is copied to the others first',
    args: { ...base, master: M[0], status: loopResults({ [M[1]]: healthy }) },
    plan: { changed: false },
    result: {
      through: M[1],
      through_etcd_url: 'https://10.0.0.2:2379',
      member: { id: IDS[0], name: M[0] },
      summary: [
        `deprecating ${M[0]} (${M[0]}); 3 masters and 3 etcd members remain`,
        `${M[0]} holds the CA (first master of the inventory): its serial file and CA folders are copied to ${M[1]}, ${M[2]}, ${M[3]} first`,
        `etcd member ${M[0]} (${IDS[0]}) is removed through https://10.0.0.2:2379`,
      ],
    },
  },
  {
    name: 'a master that runs no etcd member: nothing to remove from etcd',
    args: { ...base, master: M[3], etcd_hosts: [M[0], M[1], M[2]] },
    plan: { changed: false },
    result: { is_etcd: false, member: null, remaining_etcd: [M[0], M[1], M[2]], msg: new RegExp(`${M[3].replace(/\./g, '\\.')} is not an etcd host$`) },
  },
  {
    name: 'without a master: refused, listing the masters',
    args: base,
    plan: { changed: false, failed: `give the master to deprecate: -e master=HOST (one of ${M.join(', ')})` },
  },
  {
    name: 'a host outside [masters]: refused',
    args: { ...base, master: 'lb.example.com' },
    plan: { changed: false, failed: `lb.example.com is not in [masters] (masters: ${M.join(', ')})` },
  },
  {
    name: 'a host the inventory no longer lists: nothing to do (a second run)',
    args: { ...base, master: 'master-9.example.com' },
    plan: { changed: false },
    result: { nothing_to_do: true, summary: [`master-9.example.com is in no group of this inventory (masters: ${M.join(', ')}): already deprecated, nothing to do`] },
  },
  {
    name: 'below three masters: refused with the numbers',
    args: { ...base, masters: M.slice(0, 3), etcd_hosts: M.slice(0, 3), master: M[2] },
    plan: {
      changed: false,
      failed: `deprecating ${M[2]} leaves 2 masters and 2 etcd members: fewer than 3, so the control plane is no longer highly available (HA needs at least 3, and an odd number). Run with -e force=true to deprecate it anyway.`,
    },
  },
  {
    name: 'below three masters with force: planned, and the summary says forced',
    args: { ...base, masters: M.slice(0, 3), etcd_hosts: M.slice(0, 3), master: M[2], force: true },
    plan: { changed: false },
    result: { remaining_masters: [M[0], M[1]], msg: new RegExp(`^deprecating ${M[2].replace(/\./g, '\\.')} \\(.*\\); 2 masters and 2 etcd members remain \\(forced\\);`) },
  },
  {
    name: 'to an even number of etcd members: refused',
    args: { ...base, masters: [...M, 'master-4.example.com'], inventory_hosts: [...M, 'master-4.example.com'], master: 'master-4.example.com', etcd_hosts: [...M, 'master-4.example.com'] },
    plan: { changed: false, failed: /^deprecating master-4\.example\.com leaves 4 masters and 4 etcd members: an even number, so the control plane is no longer highly available/ },
  },
  {
    name: 'etcd without quorum through the remaining hosts: refused',
    args: { ...base, master: M[3], status: loopResults({ [M[0]]: view([30, 30, undefined, undefined]) }), up_hosts: [M[0], M[1], M[3]] },
    plan: { changed: false, failed: `etcd has no quorum through ${M[0]}, ${M[1]}: restore quorum first (playbooks/restore-quorum.yml)` },
  },
];
export default table;
