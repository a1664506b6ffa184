/**
 * One picture of the cluster from three reads (member list, endpoint status,
 * endpoint health): each member with its health and raft position, the
 * quorum, the survivor a restore should keep, and the members it loses.
 * Pure, so every combination is tested without a cluster.
 */
import type { EndpointHealth, EndpointStatus, Member, MemberList } from './parse.js';
import { chooseSurvivor, hasQuorum, quorumSize } from './quorum.js';

export interface MemberState extends Member {
  /** The inventory host it runs on, once matched (see hosts.ts). */
  host?: string | null;
  /** Its endpoint answered `endpoint status`. */
  reachable: boolean;
  /** A proposal committed through it. */
  healthy: boolean;
  is_leader: boolean;
  leader?: string;
  raft_term?: number;
  raft_index?: number;
  revision?: number;
  db_size?: number;
  db_size_in_use?: number;
  version?: string;
  errors?: string[];
  /** Why it did not answer, or why it is unhealthy. */
  error?: string;
}

export interface LostMember {
  id: string;
  name: string;
  peer_urls: string[];
  /** The inventory host it runs on, once matched (see hosts.ts). */
  host?: string | null;
}

export interface ClusterView {
  cluster_id: string;
  /** The endpoint that answered the member list. */
  answered_by: string;
  members: MemberState[];
  /** Voting members (learners are listed in `members` but not counted). */
  member_count: number;
  healthy_count: number;
  /** Learners: added with `member add --learner`, not promoted yet. */
  learner_count: number;
  reachable_count: number;
  quorum_size: number;
  quorum: boolean;
  /** Hex ID of the leader a reachable member names; '' when none. */
  leader: string;
  survivor: { id: string; name: string; client_urls: string[]; raft_index: number; reason: string; host?: string | null } | null;
  /** Members whose endpoint did not answer: hex IDs and names, for `member remove`. */
  lost: LostMember[];
  /** Every member but the survivor: what a quorum restore removes and adds back. */
  non_survivors: LostMember[];
}

function brief(m: Member): LostMember {
  return { id: m.id, name: m.name, peer_urls: m.peer_urls };
}

export function buildView(list: MemberList, answeredBy: string, statuses: EndpointStatus[], health: EndpointHealth[]): ClusterView {
  const members: MemberState[] = list.members.map((m) => {
    const answered = statuses.find((s) => !s.error && s.member_id === m.id);
    const failed = statuses.find((s) => s.error && m.client_urls.includes(s.endpoint));
    const h = health.filter((x) => m.client_urls.includes(x.endpoint));
    const healthy = h.some((x) => x.health);
    const state: MemberState = {
      ...m,
      reachable: !!answered,
      healthy,
      is_leader: !!answered && answered.leader === m.id,
    };
    if (answered) {
      Object.assign(state, {
        leader: answered.leader,
        raft_term: answered.raft_term,
        raft_index: answered.raft_index,
        revision: answered.revision,
        db_size: answered.db_size,
        ...(answered.db_size_in_use !== undefined ? { db_size_in_use: answered.db_size_in_use } : {}),
        version: answered.version,
        errors: answered.errors,
      });
    }
    const error = !m.started ? 'not started' : failed?.error ?? (!healthy ? h.find((x) => x.error)?.error : undefined);
    if (error) state.error = error;
    return state;
  });
  // Learners have no vote: the quorum is the voters' (a learner that never starts cannot lose it).
  const voters = members.filter((m) => !m.is_learner);
  const counts = { members: voters.length, healthy: voters.filter((m) => m.healthy).length };
  const choice = chooseSurvivor(voters);
  const leaders = members.filter((m) => m.reachable && m.leader && m.leader !== '0').map((m) => m.leader!);
  const survivor = choice
    ? {
        id: choice.member.id,
        name: choice.member.name,
        client_urls: choice.member.client_urls,
        raft_index: choice.member.raft_index ?? 0,
        reason: choice.reason,
      }
    : null;
  return {
    cluster_id: list.cluster_id,
    answered_by: answeredBy,
    members,
    member_count: counts.members,
    healthy_count: counts.healthy,
    learner_count: members.length - voters.length,
    reachable_count: members.filter((m) => m.reachable).length,
    quorum_size: quorumSize(counts.members),
    quorum: hasQuorum(counts),
    leader: hasQuorum(counts) ? leaders[0] ?? '' : '',
    survivor,
    lost: members.filter((m) => !m.reachable).map(brief),
    non_survivors: members.filter((m) => m.id !== survivor?.id).map(brief),
  };
}

/** One line for the task's result: "quorum holds: 3 of 3 healthy (needs 2); leader master-1 (…)". */
export function describeView(v: ClusterView): string {
  const state = v.quorum ? 'quorum holds' : 'quorum LOST';
  const leader = v.members.find((m) => m.id === v.leader);
  return (
    `${state}: ${v.healthy_count} of ${v.member_count} healthy (needs ${v.quorum_size}), ${v.reachable_count} reachable` +
    (v.learner_count ? `, ${v.learner_count} learner${v.learner_count === 1 ? '' : 's'} (no vote)` : '') +
    (leader ? `; leader ${leader.name} (${leader.id})` : '') +
    (v.survivor ? `; survivor ${v.survivor.name}: ${v.survivor.reason}` : '; no member reachable')
  );
}
