import type { Table } from './index.js';
import { HOSTS, IDS, facts, loopResults, view } from './etcd-views.js';

const [M0, M1, M2] = HOSTS as [string, string, string];
const [ID0, ID1, ID2] = IDS as [string, string, string];

// Quorum lost: master-2 is down, master-0 (raft index 19) and master-1 (21) answer.
const lost = view([19, 21, undefined]);
const status = loopResults({ [M0]: lost, [M1]: lost });
const discovered = loopResults({ [M0]: facts(0), [M1]: facts(1) });
const base = { status, facts: discovered, etcd_hosts: HOSTS, up_hosts: [M0, M1] };

const table: Table = () => [
  {
    name: 'quorum lost: the reachable member with the highest raft index survives, the others are removed, the host up comes back, the host down is described from the survivor',
    args: base,
    plan: { changed: false },
    result: {
      quorum: false,
      resuming: false,
      survivor: {
        host: M1,
        name: M1,
        id: ID1,
        ip: '10.0.0.2',
        client_url: 'https://10.0.0.2:2379',
        peer_url: 'https://10.0.0.2:2380',
        raft_index: 21,
        reason: `${M1} has the highest raft index (21, term 2) of 2 reachable members (${M0} 19)`,
      },
      members: [
        { host: M0, id: ID0, name: M0 },
        { host: M1, id: ID1, name: M1 },
        { host: M2, id: ID2, name: M2 },
      ],
      remove: [
        { host: M0, id: ID0, name: M0 },
        { host: M2, id: ID2, name: M2 },
      ],
      removed_hosts: [M0, M2],
      add_back: [M0],
      down: [{ host: M2, name: M2, id: ID2, peer_url: 'https://10.0.0.3:2380', client_url: 'https://10.0.0.3:2379', known_by: `the member list: name ${M2} (its inventory name)` }],
      summary: [
        '0 of 3 members healthy (2 needed): quorum LOST',
        `members: ${M0} = ${ID0}, ${M1} = ${ID1}, ${M2} = ${ID2}`,
        `survivor: ${M1} (${M1}): ${M1} has the highest raft index (21, term 2) of 2 reachable members (${M0} 19)`,
        `removed, then added back one at a time: ${M0}`,
        `down, left out (re-add them later): ${M2}`,
      ],
    },
  },
  {
    name: 'no member answers: refused, naming the hosts up',
    args: { ...base, status: loopResults({ [M0]: { reachable: false, members: [] } }), up_hosts: [M0] },
    plan: {
      changed: false,
      failed: `No etcd member answers (etcd hosts ${M0}, ${M1}, ${M2}; up: ${M0}). Start etcd on a host that still has its data, then run this again.`,
    },
  },
  {
    name: 'no etcd host is up: refused with up: none',
    args: { ...base, status: {}, up_hosts: [] },
    plan: { changed: false, failed: /\(etcd hosts .*; up: none\)/ },
  },
  {
    name: 'quorum holds: refused with the numbers, nothing to restore',
    args: { ...base, status: loopResults({ [M0]: view([30, 30, 30], 3) }), up_hosts: HOSTS },
    plan: {
      changed: false,
      failed: 'etcd quorum holds (3 of 3 members healthy, 2 needed): there is nothing to restore and nothing was changed. Run with -e force=true to restore anyway.',
    },
  },
  {
    name: 'quorum holds with force: the restore is planned and the summary says why',
    args: { ...base, status: loopResults({ [M0]: view([30, 31, 30], 3) }), up_hosts: HOSTS, force: true },
    plan: { changed: false },
    result: {
      quorum: true,
      survivor: { host: M1, raft_index: 31 },
      add_back: [M0, M2],
      down: [],
      msg: /^3 of 3 members healthy \(2 needed\): quorum holds, restoring because -e force=true; .*; down, left out \(re-add them later\): none$/,
    },
  },
  {
    name: '-e survivor naming the newest member is kept, and the reason says so',
    args: { ...base, survivor: M1 },
    plan: { changed: false },
    result: { survivor: { host: M1, reason: `chosen with -e survivor: raft index 21; ${M1} has the highest raft index (21, term 2) of 2 reachable members (${M0} 19)` } },
  },
  {
    name: '-e survivor with an older raft index: refused with both indexes',
    args: { ...base, survivor: M0 },
    plan: {
      changed: false,
      failed: `-e survivor=${M0} has raft index 19, older than ${M1} (21): keeping it would lose the writes in between. Choose ${M1}, or run with -e force=true to keep ${M0} anyway.`,
    },
  },
  {
    name: '-e survivor with an older raft index and force: kept',
    args: { ...base, survivor: M0, force: true },
    plan: { changed: false },
    result: { survivor: { host: M0, id: ID0, raft_index: 19 }, remove: [{ host: M1, id: ID1, name: M1 }, { host: M2, id: ID2, name: M2 }], add_back: [M1] },
  },
  {
    name: '-e survivor naming a host that is down: refused, naming the reachable members',
    args: { ...base, survivor: M2 },
    plan: { changed: false, failed: `-e survivor=${M2}: not a reachable etcd host with a running member (reachable members: ${M0}, ${M1})` },
  },
  {
    name: '-e survivor naming a host outside [etcd]: refused',
    args: { ...base, survivor: 'lb.example.com' },
    plan: { changed: false, failed: /^-e survivor=lb\.example\.com: not a reachable etcd host/ },
  },
  {
    name: 'an interrupted restore is resumed: its survivor and hosts, whatever the quorum and -e survivor say',
    args: {
      ...base,
      status: loopResults({ [M0]: view([40, undefined, undefined], 1) }),
      survivor: M1,
      resume: { survivor: M0, etcd_hosts: HOSTS, stamp: '20261207', started: `20261207 (survivor ${M0})` },
    },
    plan: { changed: false },
    result: {
      resuming: true,
      survivor: { host: M0, reason: `resuming the interrupted restore of 20261207 (survivor ${M0})` },
      msg: /^1 of 3 members healthy \(2 needed\): quorum LOST; /,
    },
  },
  {
    name: 'an interrupted restore that had stopped etcd on the survivor (no member answers) is resumed from the survivor\'s own files',
    args: {
      ...base,
      status: loopResults({ [M0]: { reachable: false, members: [] }, [M1]: { reachable: false, members: [] } }),
      resume: { survivor: M0, etcd_hosts: HOSTS, stamp: '20261207', started: `20261207 (survivor ${M0})` },
    },
    plan: { changed: false },
    result: {
      resuming: true,
      quorum: false,
      survivor: { host: M0, name: M0, id: null, client_url: 'https://10.0.0.1:2379', peer_url: 'https://10.0.0.1:2380', raft_index: null },
      remove: [],
      removed_hosts: [M1, M2],
      add_back: [M1],
      summary: [
        `no member answers: etcd is stopped on ${M0}, as the interrupted run left it; resuming the interrupted restore`,
        'members: ',
        `survivor: ${M0} (${M0}): resuming the interrupted restore of 20261207 (survivor ${M0})`,
        `removed, then added back one at a time: ${M1}`,
        `down, left out (re-add them later): ${M2}`,
      ],
    },
  },
  {
    name: 'no member answers and the interrupted restore\'s survivor is down: refused',
    args: {
      ...base,
      status: loopResults({ [M1]: { reachable: false, members: [] } }),
      up_hosts: [M1],
      resume: { survivor: M0, etcd_hosts: HOSTS, stamp: '20261207' },
    },
    plan: { changed: false, failed: `No etcd member answers (etcd hosts ${M0}, ${M1}, ${M2}; up: ${M1}). Start etcd on a host that still has its data, then run this again.` },
  },
  {
    name: 'a survivor that runs on no inventory host: refused, saying which variable names it',
    args: { ...base, facts: {}, etcd_hosts: ['10.0.0.1', '10.0.0.7', '10.0.0.8'], up_hosts: ['10.0.0.1'], status: loopResults({ '10.0.0.1': view([19, 21, undefined]) }) },
    plan: { changed: false, failed: new RegExp(`^the survivor ${M1.replace(/\./g, '\\.')} \\(.*\\) runs on no host of \\[etcd\\] \\(10\\.0\\.0\\.1, 10\\.0\\.0\\.7, 10\\.0\\.0\\.8\\): set etcd_hostname=`) },
  },
  {
    name: 'hosts named by address are matched to members by their peer URLs',
    args: { ...base, facts: {}, etcd_hosts: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], up_hosts: ['10.0.0.1', '10.0.0.2'], status: loopResults({ '10.0.0.1': lost }) },
    plan: { changed: false },
    result: { survivor: { host: '10.0.0.2', name: M1 }, down: [
        {
          host: '10.0.0.3',
          name: M2,
          id: ID2,
          peer_url: 'https://10.0.0.3:2380',
          client_url: 'https://10.0.0.3:2379',
          known_by: 'the member list: peer URL address 10.0.0.3 (its inventory name)',
        },
      ],
    },
  },
  {
    name: 'an unsupported argument',
    args: { ...base, survivor_host: M0 },
    plan: { changed: false, failed: /unsupported argument 'survivor_host'/ },
  },
];
export default table;
