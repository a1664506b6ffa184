/**
 * The values a joining host's etcd.conf needs after `member add`, built as
 * etcdctl itself prints them: every member's `name=peerURL`, in the order of
 * the member list, the new (not yet started, so unnamed) member under the
 * name it is added with.
 */
import type { Member } from './parse.js';

export interface JoinValues {
  ETCD_NAME: string;
  ETCD_INITIAL_CLUSTER: string;
  ETCD_INITIAL_CLUSTER_STATE: 'existing';
}

export function joinValues(members: Member[], name: string, newId: string): JoinValues {
  const pairs: string[] = [];
  for (const m of members) {
    const n = m.id === newId ? name : m.name;
    for (const u of m.peer_urls) pairs.push(`${n}=${u}`);
  }
  return { ETCD_NAME: name, ETCD_INITIAL_CLUSTER: pairs.join(','), ETCD_INITIAL_CLUSTER_STATE: 'existing' };
}
