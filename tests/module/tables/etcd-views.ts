/**
 * etcd_status results shaped as the module registers them, for the plan
 * modules' tables: three members master-{0,1,2}.example.com, each reachable
 * one with its raft index. The plan modules are proved on real etcd_status
 * results of a broken lab in tests/etcd/discovery-on-lab.test.ts.
 */
export const HOSTS = ['master-0.example.com', 'master-1.example.com', 'master-2.example.com'];
export const IDS = ['c479d7c05edc42ff', '24da0e0d6a5fbd2d', '8b7e2f9a1c3d4e5f', '5a1e3c7d9b2f4e60'];
/** Member i's name (master-i.example.com; the first three are HOSTS). */
export const NAME = (i: number) => `master-${i}.example.com`;

export function member(i: number, raftIndex?: number) {
  const n = i + 1;
  return {
    id: IDS[i]!,
    name: NAME(i),
    peer_urls: [`https://10.0.0.${n}:2380`],
    client_urls: [`https://10.0.0.${n}:2379`],
    started: true,
    reachable: raftIndex !== undefined,
    healthy: false,
    ...(raftIndex !== undefined ? { raft_index: raftIndex, raft_term: 2 } : {}),
  };
}

/** The view from a reachable host: raft indexes by member number (undefined: not reachable), and how many are healthy. */
export function view(raft: (number | undefined)[], healthy = 0) {
  const members = raft.map((r, i) => ({ ...member(i, r), healthy: i < healthy }));
  const reachable = members.filter((m) => m.reachable).sort((a, b) => b.raft_index! - a.raft_index! || a.name.localeCompare(b.name));
  const best = reachable[0];
  const others = reachable.slice(1).map((m) => `${m.name} ${m.raft_index}`);
  return {
    reachable: true,
    members,
    member_count: members.length,
    healthy_count: healthy,
    reachable_count: reachable.length,
    quorum_size: Math.floor(members.length / 2) + 1,
    quorum: healthy >= Math.floor(members.length / 2) + 1,
    survivor: best
      ? {
          id: best.id,
          name: best.name,
          client_urls: best.client_urls,
          raft_index: best.raft_index,
          reason: `${best.name} has the highest raft index (${best.raft_index}, term 2) of ${reachable.length} reachable member${reachable.length === 1 ? '' : 's'}${others.length ? ` (${others.join(', ')})` : ''}`,
        }
      : null,
  };
}

/** A loop's registered results: one etcd_status result per host, `item` the host. */
export function loopResults(byHost: Record<string, unknown>) {
  return { results: Object.entries(byHost).map(([item, r]) => ({ item, changed: false, ...(r as object) })) };
}

/** openshift_etcd_facts as it would come back from host i. */
export function facts(i: number) {
  const n = i + 1;
  return {
    name: NAME(i),
    ip: `10.0.0.${n}`,
    client_url: `https://10.0.0.${n}:2379`,
    peer_url: `https://10.0.0.${n}:2380`,
    initial_cluster: Object.fromEntries(HOSTS.map((h, j) => [h, `https://10.0.0.${j + 1}:2380`])),
  };
}
