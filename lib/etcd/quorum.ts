/**
 * Quorum arithmetic and the safety refusals of etcd_member, in numbers an
 * operator can check: "2 of 3 healthy; removing a healthy member leaves 1 of 2:
 * quorum lost". Healthy means a proposal committed through the member
 * (`endpoint health`), so with quorum lost no member counts as healthy.
 * Counts are of voting members: learners never count.
 */

/** Votes needed by a cluster of n voting members. */
export function quorumSize(n: number): number {
  return Math.floor(n / 2) + 1;
}

export interface QuorumCounts {
  members: number;
  healthy: number;
}

export function hasQuorum(c: QuorumCounts): boolean {
  return c.members > 0 && c.healthy >= quorumSize(c.members);
}

function counted(c: QuorumCounts): string {
  return `${c.healthy} of ${c.members} healthy`;
}

/**
 * Why removing a member is refused, or null when it is safe. Removing the last
 * member is refused even with force: etcd cannot run without members.
 */
export function removalRefusal(c: QuorumCounts, targetHealthy: boolean, force: boolean, targetLearner = false): string | null {
  if (c.members <= 1 && !targetLearner) return 'it is the last member of the cluster';
  // A learner has no vote: removing it commits with the voters' quorum and changes nothing of it.
  if (force || targetLearner) return null;
  if (!hasQuorum(c)) {
    return `${counted(c)}: quorum lost (needs ${quorumSize(c.members)}), so a member removal cannot commit; restore quorum first (force: true tries anyway)`;
  }
  const after = { members: c.members - 1, healthy: c.healthy - (targetHealthy ? 1 : 0) };
  if (!hasQuorum(after)) {
    return `${counted(c)}; removing a ${targetHealthy ? 'healthy' : 'unhealthy'} member leaves ${after.healthy} of ${after.members}: quorum lost`;
  }
  return null;
}

/**
 * Why adding a member is refused, or null when it is safe. The new member
 * counts as unhealthy until it starts. As in etcd itself, growing a single
 * healthy member to two is allowed: that is how a forced new cluster is
 * rebuilt, and the cluster waits for the joiner for a moment only.
 */
export function additionRefusal(c: QuorumCounts, force: boolean, learner = false): string | null {
  if (force) return null;
  if (!hasQuorum(c)) {
    return `${counted(c)}: quorum lost (needs ${quorumSize(c.members)}), so a member addition cannot commit; restore quorum first`;
  }
  // A learner has no vote: the quorum stays what it is whether it ever starts or not.
  if (learner) return null;
  if (c.members === 1 && c.healthy === 1) return null;
  const after = { members: c.members + 1, healthy: c.healthy };
  if (!hasQuorum(after)) {
    return `${counted(c)}; adding a member leaves ${after.healthy} of ${after.members} until it starts: quorum lost`;
  }
  return null;
}

export interface SurvivorCandidate {
  id: string;
  name: string;
  /** Only members whose endpoint answered `endpoint status` are candidates. */
  reachable: boolean;
  raft_index?: number;
  raft_term?: number;
}

export interface SurvivorChoice<C extends SurvivorCandidate> {
  member: C;
  reason: string;
}

/**
 * The reachable member with the most of the log: highest raft index, then
 * highest term; a tie goes to the name that sorts first, so the choice is the
 * same on every run. A member with an older index is never chosen over a newer.
 */
export function chooseSurvivor<C extends SurvivorCandidate>(members: C[]): SurvivorChoice<C> | null {
  const reachable = members.filter((m) => m.reachable);
  if (reachable.length === 0) return null;
  const sorted = [...reachable].sort(
    (a, b) => (b.raft_index ?? 0) - (a.raft_index ?? 0) || (b.raft_term ?? 0) - (a.raft_term ?? 0) || a.name.localeCompare(b.name),
  );
  const best = sorted[0];
  const others = sorted.slice(1).map((m) => `${m.name || m.id} ${m.raft_index ?? 0}`);
  const reason =
    `${best.name || best.id} has the highest raft index (${best.raft_index ?? 0}, term ${best.raft_term ?? 0}) of ` +
    `${reachable.length} reachable member${reachable.length === 1 ? '' : 's'}` +
    (others.length ? ` (${others.join(', ')})` : '');
  return { member: best, reason };
}
