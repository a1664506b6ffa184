/**
 * The decisions of adding an etcd host back (38.1.4, step A.4 of
 * add-etcd-member.yml): the joining member's name and peer URL from the
 * host's own etcd.conf, the member that adds it (one that answers with
 * quorum), and whether there is anything to do. Pure; the messages are the
 * playbook's.
 */
import { memberOfHost, type HostFacts } from './host-match.js';
import type { StatusView } from './restore-plan.js';

export interface AddMemberInput {
  host: string | null;
  all_hosts: string[];
  etcd_hosts: string[];
  up_hosts: string[];
  views: Record<string, StatusView | undefined>;
  facts: Record<string, HostFacts | undefined>;
  hostvars: Record<string, Readonly<Record<string, unknown>>>;
}

export interface AddMemberPlan {
  host: string;
  name: string;
  peer_url: string;
  through: string;
  through_url: string;
  /** The host runs a healthy member already: nothing to do. */
  already_healthy: boolean;
  /** A member the cluster lists under that name or peer URL (unstarted or unhealthy): etcd_member finds it, the join restarts it. */
  existing_member: { id: string; name: string } | null;
  healthy_count: number;
  member_count: number;
  summary: string;
}

export type AddMemberRefusal = 'no_host' | 'host_down' | 'not_learned' | 'quorum_lost';

export type AddMemberOutcome = { ok: true; plan: AddMemberPlan } | { ok: false; refusal: AddMemberRefusal; message: string };

export function planAddMember(input: AddMemberInput): AddMemberOutcome {
  const { host } = input;
  if (!host || !input.all_hosts.includes(host)) {
    return { ok: false, refusal: 'no_host', message: `give the host to add: -e host=HOST (one of ${input.all_hosts.join(', ')})` };
  }
  if (!input.up_hosts.includes(host)) return { ok: false, refusal: 'host_down', message: `${host} does not answer on its SSH port: start it first` };
  const own = input.facts[host];
  if (!own?.name || !own.peer_url) {
    return {
      ok: false,
      refusal: 'not_learned',
      message: `${host}: its member name and peer URL could not be learned (run openshift_etcd_facts on it; set etcd_hostname and etcd_ip when it has no /etc/etcd/etcd.conf)`,
    };
  }
  const others = input.etcd_hosts.filter((h) => h !== host && input.up_hosts.includes(h));
  const through = others.find((h) => input.views[h]?.quorum === true);
  if (!through) {
    return {
      ok: false,
      refusal: 'quorum_lost',
      message: `no etcd member answers with quorum (through ${others.join(', ') || 'no host'}): restore quorum first (playbooks/restore-quorum.yml)`,
    };
  }
  const view = input.views[through]!;
  const viaMember = memberOfHost({ host: through, facts: input.facts[through], vars: input.hostvars[through] ?? {} }, view.members)?.member;
  const throughUrl = input.facts[through]?.client_url ?? viaMember?.client_urls[0] ?? `https://${through}:2379`;
  const existing = memberOfHost({ host, facts: own, vars: input.hostvars[host] ?? {} }, view.members)?.member ?? view.members.find((m) => m.peer_urls.includes(own.peer_url!));
  const healthy = existing?.healthy === true;
  return {
    ok: true,
    plan: {
      host,
      name: own.name,
      peer_url: own.peer_url,
      through,
      through_url: throughUrl,
      already_healthy: healthy,
      existing_member: existing ? { id: existing.id, name: existing.name } : null,
      healthy_count: view.healthy_count,
      member_count: view.member_count,
      summary: healthy
        ? `${host} (${own.name}) is a healthy member already: nothing to do`
        : `adding ${host} through ${through} (${view.healthy_count} of ${view.member_count} members healthy)`,
    },
  };
}
