/**
 * etcdctl `-w json` output to typed values with hex member IDs. A failed
 * endpoint is data (its error is kept), never an exception: status is asked
 * precisely when members are down.
 */
import { decimalToHex, parseEtcdJson } from './ids.js';

export interface Member {
  /** Hex, as etcdctl member remove/update expect it. */
  id: string;
  /** Empty for a member that was added but has not started yet. */
  name: string;
  peer_urls: string[];
  client_urls: string[];
  /** A member that never started has no name and no client URLs. */
  started: boolean;
  /** A learner (`member add --learner`): it follows the log but has no vote, so it never counts for quorum. */
  is_learner: boolean;
}

export interface MemberList {
  cluster_id: string;
  /** The member that answered. */
  member_id: string;
  members: Member[];
}

type Obj = Record<string, unknown>;

function obj(v: unknown, what: string): Obj {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`unexpected etcdctl output: ${what} is not an object`);
  return v as Obj;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function hex(v: unknown): string {
  return v === undefined || v === null ? '' : decimalToHex(String(v));
}

function parseMember(v: unknown): Member {
  const m = obj(v, 'a member');
  const name = typeof m.name === 'string' ? m.name : '';
  const client = strings(m.clientURLs);
  return { id: hex(m.ID), name, peer_urls: strings(m.peerURLs), client_urls: client, started: name !== '' || client.length > 0, is_learner: m.isLearner === true };
}

/** `member list -w json`, also the `members` of `member add|remove|update -w json`. */
export function parseMemberList(stdout: string): MemberList {
  const doc = obj(parseEtcdJson(stdout), 'member list');
  const header = obj(doc.header ?? {}, 'header');
  return {
    cluster_id: hex(header.cluster_id),
    member_id: hex(header.member_id),
    members: (Array.isArray(doc.members) ? doc.members : []).map(parseMember),
  };
}

/** `member add -w json`: the new member and the list including it. */
export function parseMemberAdd(stdout: string): { member: Member; members: Member[] } {
  const doc = obj(parseEtcdJson(stdout), 'member add');
  return { member: parseMember(doc.member), members: (Array.isArray(doc.members) ? doc.members : []).map(parseMember) };
}

export interface EndpointStatus {
  endpoint: string;
  /** Set when the endpoint answered. */
  member_id?: string;
  leader?: string;
  raft_term?: number;
  raft_index?: number;
  raft_applied_index?: number;
  revision?: number;
  db_size?: number;
  /** Bytes of the DB in use; the rest is free space only a defrag returns (etcd 3.4 and later). */
  db_size_in_use?: number;
  version?: string;
  /** Alarms and errors the member reports (e.g. NOSPACE). */
  errors?: string[];
  /** Set when it did not answer. */
  error?: string;
}

/** Lines etcdctl prints for each endpoint it could not ask. */
const STATUS_FAILED = /^Failed to get the status of endpoint (\S+) \((.*)\)$/;

/**
 * `endpoint status -w json`: answers on stdout (a JSON array, absent when no
 * endpoint answered), one `Failed to get the status ...` line on stderr per
 * endpoint that did not.
 */
export function parseEndpointStatus(stdout: string, stderr: string): EndpointStatus[] {
  const out: EndpointStatus[] = [];
  const text = stdout.trim();
  if (text.startsWith('[')) {
    for (const item of parseEtcdJson(text) as unknown[]) {
      const e = obj(item, 'an endpoint status');
      const s = obj(e.Status ?? {}, 'Status');
      const h = obj(s.header ?? {}, 'header');
      out.push({
        endpoint: String(e.Endpoint),
        member_id: hex(h.member_id),
        leader: hex(s.leader),
        raft_term: Number(s.raftTerm ?? h.raft_term ?? 0),
        raft_index: Number(s.raftIndex ?? 0),
        raft_applied_index: Number(s.raftAppliedIndex ?? 0),
        revision: Number(h.revision ?? 0),
        db_size: Number(s.dbSize ?? 0),
        ...(s.dbSizeInUse !== undefined ? { db_size_in_use: Number(s.dbSizeInUse) } : {}),
        version: String(s.version ?? ''),
        errors: strings(s.errors),
      });
    }
  }
  for (const line of stderr.split('\n')) {
    const m = STATUS_FAILED.exec(line.trim());
    if (m) out.push({ endpoint: m[1], error: m[2] });
  }
  return out;
}

export interface EndpointHealth {
  endpoint: string;
  /** A proposal committed through this endpoint: it is part of a working quorum. */
  health: boolean;
  error?: string;
}

/** `endpoint health -w json`: one entry per endpoint, healthy or not (exit 1 when any is not). */
export function parseEndpointHealth(stdout: string): EndpointHealth[] {
  const text = stdout.trim();
  if (!text.startsWith('[')) return [];
  return (JSON.parse(text) as unknown[]).map((item) => {
    const e = obj(item, 'an endpoint health');
    return { endpoint: String(e.endpoint), health: e.health === true, ...(e.error ? { error: String(e.error) } : {}) };
  });
}

export interface SnapshotStatus {
  hash: number;
  revision: number;
  total_keys: number;
  total_size: number;
}

/** `snapshot status <file> -w json`. */
export function parseSnapshotStatus(stdout: string): SnapshotStatus {
  const s = obj(JSON.parse(stdout.trim()), 'snapshot status');
  return { hash: Number(s.hash), revision: Number(s.revision), total_keys: Number(s.totalKey), total_size: Number(s.totalSize) };
}

export interface Alarm {
  /** Hex member ID. */
  member_id: string;
  /** NOSPACE, CORRUPT. */
  alarm: string;
}

/** `alarm list` (simple output): one `memberID:<decimal> alarm:<TYPE>` line per raised alarm. */
export function parseAlarmList(stdout: string): Alarm[] {
  const out: Alarm[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^memberID:(\d+)\s+alarm:(\w+)\s*$/.exec(line.trim());
    if (m) out.push({ member_id: decimalToHex(m[1]!), alarm: m[2]! });
  }
  return out;
}

/** The last meaningful line of etcdctl's stderr (it logs JSON warnings before the error). */
export function etcdctlError(stderr: string, stdout = ''): string {
  const lines = `${stderr}\n${stdout}`.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('{"level"'));
  return lines.find((l) => l.startsWith('Error:'))?.replace(/^Error:\s*/, '') ?? lines.pop() ?? 'no output';
}
