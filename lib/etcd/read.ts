/**
 * The reads every etcd module starts with, over any command runner (the
 * task's connection, or a fake in unit tests). Reads are safe in check mode
 * and while quorum is lost: etcd 3.4 answers `member list` and `endpoint
 * status` from each member's own state.
 */
import type { ExecResult } from '../module/kit.js';
import { buildView, type ClusterView } from './cluster.js';
import { endpointStatusCommand, etcdctlCommand, type EtcdConn } from './etcdctl.js';
import { etcdctlError, parseEndpointHealth, parseEndpointStatus, parseMemberList, type MemberList } from './parse.js';

/** Runs a shell command on the host with ETCDCTL_API=3; never rejects on a non-zero exit. */
export type EtcdExec = (command: string) => Promise<ExecResult>;

export type Listed = { ok: true; list: MemberList; answered_by: string } | { ok: false; error: string };

/** `member list` through the given endpoints (etcdctl fails over between them). */
export async function listMembers(exec: EtcdExec, conn: EtcdConn): Promise<Listed> {
  const r = await exec(etcdctlCommand(conn, ['member', 'list', '-w', 'json']));
  if (r.rc !== 0) return { ok: false, error: `member list through ${conn.endpoints.join(',')} failed: ${etcdctlError(r.stderr, r.stdout)}` };
  const list = parseMemberList(r.stdout);
  const who = list.members.find((m) => m.id === list.member_id);
  return { ok: true, list, answered_by: who?.client_urls[0] ?? conn.endpoints[0] };
}

/** Every member's client URLs, plus the configured endpoints. */
export function statusEndpoints(list: MemberList, conn: EtcdConn): string[] {
  return [...new Set([...list.members.flatMap((m) => m.client_urls), ...conn.endpoints])];
}

/**
 * Status of every member, all asked at once, then health. etcdctl asks status
 * endpoint by endpoint, so each dead one would add its timeout: one status
 * per endpoint, in parallel, makes a quorum loss cost one timeout, not one
 * per lost member. (`endpoint health` checks endpoints concurrently.)
 * Health is a linearizable read, which needs a leader: when no member that
 * answered knows one (quorum lost), every member is unhealthy and `endpoint
 * health` would only wait out its command timeout (4 s) to say so. It is
 * asked only when some member names a leader, and never of a learner.
 */
export async function readView(exec: EtcdExec, conn: EtcdConn, listed: { list: MemberList; answered_by: string }): Promise<ClusterView> {
  const endpoints = statusEndpoints(listed.list, conn);
  const statuses = await Promise.all(endpoints.map((ep) => exec(endpointStatusCommand(conn, ep))));
  const status = statuses.flatMap((r) => parseEndpointStatus(r.stdout, r.stderr));
  const leaderKnown = status.some((s) => s.leader && s.leader !== '0');
  // A learner serves no linearizable read: etcdctl would retry its health until the command
  // timeout, and a learner's health counts for nothing (it has no vote). Its endpoints are not asked.
  const learnerOnly = new Set(listed.list.members.filter((m) => m.is_learner).flatMap((m) => m.client_urls));
  for (const m of listed.list.members) if (!m.is_learner) for (const u of m.client_urls) learnerOnly.delete(u);
  const asked = endpoints.filter((ep) => !learnerOnly.has(ep));
  const learners = [...learnerOnly].map((endpoint) => ({ endpoint, health: false, error: LEARNER }));
  const health = leaderKnown
    ? [...(asked.length ? parseEndpointHealth((await exec(etcdctlCommand(conn, ['endpoint', 'health', '-w', 'json'], { endpoints: asked }))).stdout) : []), ...learners]
    : endpoints.map((endpoint) => ({ endpoint, health: false, error: NO_LEADER }));
  return buildView(listed.list, listed.answered_by, status, health);
}

/** Why a learner is not healthy: it is not asked (no vote, and no linearizable read to answer). */
export const LEARNER = 'a learner: no vote, so endpoint health is not asked (it serves no linearizable read)';

/** Why every member is unhealthy when none knows a leader (what `endpoint health` would have timed out on). */
export const NO_LEADER = 'no leader: no member that answered knows one, so no proposal can commit (endpoint status)';

/** Member list, then status and health: the whole picture, or why there is none. */
export async function readCluster(exec: EtcdExec, conn: EtcdConn): Promise<{ view: ClusterView } | { error: string }> {
  const listed = await listMembers(exec, conn);
  if (!listed.ok) return { error: listed.error };
  return { view: await readView(exec, conn, listed) };
}
