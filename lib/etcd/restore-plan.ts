/**
 * The decisions of a quorum restore (chapter 38.1), from what the hosts said:
 * which member survives and why, which members are removed and which hosts
 * come back, which hosts are down and what their own files would say. Pure:
 * the etcd_restore_plan module hands it the registered etcd_status and
 * openshift_etcd_facts results, so every refusal and every choice is tested
 * without a cluster. The messages are those of restore-quorum.yml's A.0.
 */
import { urlAddress } from './discover.js';
import { memberOfHost, type HostFacts, type HostIdentity } from './host-match.js';

/** The parts of an etcd_status result the plan uses. */
export interface StatusMember {
  id: string;
  name: string;
  peer_urls: string[];
  client_urls: string[];
  reachable: boolean;
  healthy?: boolean;
  raft_index?: number;
}

export interface StatusView {
  reachable: boolean;
  members: StatusMember[];
  member_count: number;
  healthy_count: number;
  quorum_size: number;
  quorum: boolean;
  survivor: { id: string; name: string; raft_index: number; reason: string } | null;
}

/** What restore-quorum.yml leaves on the survivor while a restore is under way. */
export interface ResumeRecord {
  survivor: string;
  etcd_hosts: string[];
  stamp?: string;
  started?: string;
  dropin_dir_existed?: boolean;
}

export interface RestorePlanInput {
  etcd_hosts: string[];
  up_hosts: string[];
  /** etcd_status as seen from each reachable etcd host, in the order of etcd_hosts. */
  views: Record<string, StatusView | undefined>;
  facts: Record<string, HostFacts | undefined>;
  hostvars: Record<string, Readonly<Record<string, unknown>>>;
  survivor?: string | null;
  force: boolean;
  resume?: ResumeRecord | null;
}

export interface PlannedMember {
  host: string | null;
  id: string;
  name: string;
}

export interface DownHost {
  host: string;
  /** What the host's own files would say, from the survivor's member list and ETCD_INITIAL_CLUSTER. */
  name: string | null;
  id: string | null;
  peer_url: string | null;
  client_url: string | null;
  /** How it was matched to its member, or what to set when it was not. */
  known_by: string;
}

export interface RestorePlan {
  etcd_hosts: string[];
  up_hosts: string[];
  quorum: boolean;
  member_count: number;
  healthy_count: number;
  quorum_size: number;
  resuming: boolean;
  survivor: {
    host: string;
    name: string;
    id: string | null;
    ip: string;
    client_url: string;
    peer_url: string | null;
    raft_index: number | null;
    reason: string;
  };
  members: PlannedMember[];
  /** Every member but the survivor: `member remove` by ID (38.1.2). */
  remove: PlannedMember[];
  /** Every etcd host but the survivor. */
  removed_hosts: string[];
  /** Their client URLs as master-config.yaml and flanneld may list them (by host name and by address). */
  removed_client_urls: string[];
  /** The removed hosts that answer: added back one at a time (38.1.4). */
  add_back: string[];
  down: DownHost[];
  /** The lines restore-quorum.yml records before it changes anything. */
  summary: string[];
}

export type RefusalCode = 'no_member' | 'quorum_holds' | 'survivor_unreachable' | 'survivor_older' | 'survivor_unknown';

export type RestorePlanOutcome = { ok: true; plan: RestorePlan } | { ok: false; refusal: RefusalCode; message: string };

function identity(input: RestorePlanInput, host: string): HostIdentity {
  return { host, facts: input.facts[host], vars: input.hostvars[host] ?? {} };
}

function refuse(refusal: RefusalCode, message: string): RestorePlanOutcome {
  return { ok: false, refusal, message };
}

const clientUrlOf = (host: string) => `https://${host}:2379`;

/** What a restore resumes from when no member runs: etcd stopped on the survivor by the run itself. */
const NO_MEMBER_RUNNING: StatusView = { reachable: false, members: [], member_count: 0, healthy_count: 0, quorum_size: 0, quorum: false, survivor: null };

export function planRestore(input: RestorePlanInput): RestorePlanOutcome {
  const resume = input.resume ?? null;
  const etcdHosts = resume ? resume.etcd_hosts : input.etcd_hosts;
  const up = etcdHosts.filter((h) => input.up_hosts.includes(h));
  // A run interrupted between A.3's stop of etcd and its start leaves no member
  // running: the survivor's data and files are there, and A.3 starts it again.
  const stoppedByRun = !!resume && up.includes(resume.survivor) && !!input.facts[resume.survivor];
  const view = up.map((h) => input.views[h]).find((v) => v?.reachable) ?? (stoppedByRun ? NO_MEMBER_RUNNING : null);

  if (!view) {
    return refuse(
      'no_member',
      `No etcd member answers (etcd hosts ${etcdHosts.join(', ')}; up: ${up.join(', ') || 'none'}). ` +
        'Start etcd on a host that still has its data, then run this again.',
    );
  }
  if (view.quorum && !input.force && !resume) {
    return refuse(
      'quorum_holds',
      `etcd quorum holds (${view.healthy_count} of ${view.member_count} members healthy, ${view.quorum_size} needed): ` +
        'there is nothing to restore and nothing was changed. Run with -e force=true to restore anyway.',
    );
  }

  const memberOf = (host: string) => memberOfHost(identity(input, host), view.members);
  const reachableNames = view.members.filter((m) => m.reachable).map((m) => m.name);
  let survivorHost: string;
  let reason: string;
  if (resume) {
    survivorHost = resume.survivor;
    reason = `resuming the interrupted restore of ${resume.started ?? resume.stamp ?? 'an earlier run'}`;
  } else if (input.survivor) {
    const chosen = input.survivor;
    const m = etcdHosts.includes(chosen) && up.includes(chosen) ? memberOf(chosen)?.member : undefined;
    if (!m || !m.reachable) {
      return refuse(
        'survivor_unreachable',
        `-e survivor=${chosen}: not a reachable etcd host with a running member (reachable members: ${reachableNames.join(', ')})`,
      );
    }
    const best = view.survivor!;
    if ((m.raft_index ?? 0) < best.raft_index && !input.force) {
      return refuse(
        'survivor_older',
        `-e survivor=${chosen} has raft index ${m.raft_index ?? 0}, older than ${best.name} (${best.raft_index}): keeping it would lose the writes in between. ` +
          `Choose ${best.name}, or run with -e force=true to keep ${chosen} anyway.`,
      );
    }
    survivorHost = chosen;
    reason = `chosen with -e survivor: raft index ${m.raft_index ?? 0}; ${best.reason}`;
  } else {
    const best = view.survivor!;
    const host = etcdHosts.find((h) => memberOf(h)?.member.id === best.id);
    if (!host) {
      return refuse(
        'survivor_unknown',
        `the survivor ${best.name} (${best.reason}) runs on no host of [etcd] (${etcdHosts.join(', ')}): ` +
          `set etcd_hostname=${best.name} (or etcd_ip) on the host that runs it, or name it with -e survivor=HOST`,
      );
    }
    survivorHost = host;
    reason = best.reason;
  }

  const sm = memberOf(survivorHost)?.member ?? null;
  const sf = input.facts[survivorHost];
  const survivorName = sf?.name ?? sm?.name ?? survivorHost;
  const survivorUrl = sf?.client_url ?? sm?.client_urls[0] ?? clientUrlOf(survivorHost);
  const hostOf = (m: StatusMember) => etcdHosts.find((h) => memberOf(h)?.member.id === m.id) ?? null;
  const members = view.members.map((m) => ({ host: hostOf(m), id: m.id, name: m.name }));
  const remove = view.members.filter((m) => m.name !== survivorName && m.id !== sm?.id).map((m) => ({ host: hostOf(m), id: m.id, name: m.name }));
  const removedHosts = etcdHosts.filter((h) => h !== survivorHost);
  const addBack = removedHosts.filter((h) => up.includes(h));
  const down = etcdHosts.filter((h) => !up.includes(h)).map((h) => downHost(input, h, view, sf));

  const removedClientUrls: string[] = [];
  for (const h of removedHosts) {
    const vars = input.hostvars[h] ?? {};
    const m = memberOf(h)?.member;
    const urls = [
      clientUrlOf(typeof vars.openshift_hostname === 'string' ? vars.openshift_hostname : h),
      ...(m?.client_urls ?? []),
      ...(input.facts[h]?.client_url ? [input.facts[h]!.client_url!] : []),
      ...(typeof vars.etcd_ip === 'string' ? [clientUrlOf(vars.etcd_ip)] : []),
    ];
    for (const u of urls) if (!removedClientUrls.includes(u)) removedClientUrls.push(u);
  }

  const state = view === NO_MEMBER_RUNNING ? `etcd is stopped on ${survivorHost}, as the interrupted run left it; resuming the interrupted restore` : view.quorum && !resume ? 'quorum holds, restoring because -e force=true' : view.quorum ? 'quorum holds, resuming the interrupted restore' : 'quorum LOST';
  const summary = [
    view === NO_MEMBER_RUNNING ? `no member answers: ${state}` : `${view.healthy_count} of ${view.member_count} members healthy (${view.quorum_size} needed): ${state}`,
    `members: ${view.members.map((m) => `${m.name} = ${m.id}`).join(', ')}`,
    `survivor: ${survivorHost} (${survivorName}): ${reason}`,
    `removed, then added back one at a time: ${addBack.join(', ') || 'none'}`,
    `down, left out (re-add them later): ${down.map((d) => d.host).join(', ') || 'none'}`,
  ];
  return {
    ok: true,
    plan: {
      etcd_hosts: etcdHosts,
      up_hosts: up,
      quorum: view.quorum,
      member_count: view.member_count,
      healthy_count: view.healthy_count,
      quorum_size: view.quorum_size,
      resuming: !!resume,
      survivor: {
        host: survivorHost,
        name: survivorName,
        id: sm?.id ?? null,
        ip: sf?.ip ?? urlAddress(survivorUrl),
        client_url: survivorUrl,
        peer_url: sf?.peer_url ?? sm?.peer_urls[0] ?? null,
        raft_index: (sm?.raft_index as number | undefined) ?? null,
        reason,
      },
      members,
      remove,
      removed_hosts: removedHosts,
      removed_client_urls: removedClientUrls,
      add_back: addBack,
      down,
      summary,
    },
  };
}

/** A host that is down: its member as the survivor lists it, its peer URL from the survivor's ETCD_INITIAL_CLUSTER. */
function downHost(input: RestorePlanInput, host: string, view: StatusView, survivorFacts: HostFacts | undefined): DownHost {
  const id = { host, facts: undefined, vars: input.hostvars[host] ?? {} };
  const matched = memberOfHost(id, view.members);
  const initial = Object.entries(survivorFacts?.initial_cluster ?? {}).map(([name, urls]) => ({ name, peer_urls: urls.split(',') }));
  const fromInitial = matched ? null : memberOfHost(id, initial);
  const name = matched?.member.name ?? fromInitial?.member.name ?? null;
  return {
    host,
    name,
    id: matched?.member.id ?? null,
    peer_url: (name ? survivorFacts?.initial_cluster?.[name]?.split(',')[0] : undefined) ?? matched?.member.peer_urls[0] ?? null,
    client_url: matched?.member.client_urls[0] ?? null,
    known_by: matched
      ? `the member list: ${matched.by}`
      : fromInitial
        ? `the survivor's ETCD_INITIAL_CLUSTER: ${fromInitial.by}`
        : `no member matches it: set etcd_hostname (its ETCD_NAME) or etcd_ip for ${host}`,
  };
}
