/**
 * The decisions of deprecating a master (chapter 5.2.1, step B.0 of
 * decommission-master.yml): what is left after it, whether that is still
 * highly available, which etcd member goes (by ID, as the survivors list it),
 * through which master and which etcd URL the steps run, and the client URLs
 * to take out of master-config.yaml and flanneld. Pure; the messages are the
 * playbook's.
 */
import { memberOfHost, type HostFacts } from './host-match.js';
import type { StatusView } from './restore-plan.js';

export interface DecommissionInput {
  master: string | null;
  all_hosts: string[];
  masters: string[];
  etcd_hosts: string[];
  up_hosts: string[];
  /** etcd_status from the remaining etcd hosts that answer. */
  views: Record<string, StatusView | undefined>;
  facts: Record<string, HostFacts | undefined>;
  hostvars: Record<string, Readonly<Record<string, unknown>>>;
  force: boolean;
}

export interface DecommissionPlan {
  master: string;
  /** The host is in no group any more: a second run, nothing to do. */
  nothing_to_do: boolean;
  node_name: string;
  is_etcd: boolean;
  /** The member to remove, as the remaining members list it; null when it is gone already or the host runs none. */
  member: { id: string; name: string } | null;
  ca_master: string;
  remaining_masters: string[];
  remaining_etcd: string[];
  through: string | null;
  through_etcd_url: string | null;
  client_urls: string[];
  summary: string[];
}

export type DecommissionRefusal = 'no_master' | 'not_a_master' | 'not_highly_available' | 'quorum_lost';

export type DecommissionOutcome = { ok: true; plan: DecommissionPlan } | { ok: false; refusal: DecommissionRefusal; message: string };

const odd = (n: number) => n % 2 === 1;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function planDecommission(input: DecommissionInput): DecommissionOutcome {
  const masters = input.masters;
  const { master } = input;
  if (!master) return { ok: false, refusal: 'no_master', message: `give the master to deprecate: -e master=HOST (one of ${masters.join(', ')})` };
  const vars = input.hostvars[master] ?? {};
  const nodeName = str(vars.openshift_hostname) ?? master;
  if (!input.all_hosts.includes(master)) {
    return {
      ok: true,
      plan: {
        master,
        nothing_to_do: true,
        node_name: nodeName,
        is_etcd: false,
        member: null,
        ca_master: masters[0] ?? '',
        remaining_masters: masters,
        remaining_etcd: input.etcd_hosts,
        through: null,
        through_etcd_url: null,
        client_urls: [],
        summary: [`${master} is in no group of this inventory (masters: ${masters.join(', ')}): already deprecated, nothing to do`],
      },
    };
  }
  if (!masters.includes(master)) return { ok: false, refusal: 'not_a_master', message: `${master} is not in [masters] (masters: ${masters.join(', ')})` };

  const remainingMasters = masters.filter((h) => h !== master);
  const remainingEtcd = input.etcd_hosts.filter((h) => h !== master);
  const unsafe =
    remainingMasters.length < 3 || !odd(remainingMasters.length) || (remainingEtcd.length > 0 && (remainingEtcd.length < 3 || !odd(remainingEtcd.length)));
  if (unsafe && !input.force) {
    return {
      ok: false,
      refusal: 'not_highly_available',
      message:
        `deprecating ${master} leaves ${remainingMasters.length} masters and ${remainingEtcd.length} etcd members: ` +
        `${remainingMasters.length < 3 ? 'fewer than 3' : 'an even number'}, so the control plane is no longer highly available ` +
        '(HA needs at least 3, and an odd number). Run with -e force=true to deprecate it anyway.',
    };
  }

  const isEtcd = input.etcd_hosts.includes(master);
  const answering = remainingEtcd.filter((h) => input.up_hosts.includes(h));
  const withQuorum = answering.filter((h) => input.views[h]?.quorum === true);
  if (isEtcd && withQuorum.length === 0) {
    return {
      ok: false,
      refusal: 'quorum_lost',
      message: `etcd has no quorum through ${answering.join(', ') || 'any remaining host'}: restore quorum first (playbooks/restore-quorum.yml)`,
    };
  }
  const view = withQuorum.length ? input.views[withQuorum[0]!]! : answering.map((h) => input.views[h]).find((v) => v?.reachable);
  const identity = (h: string) => ({ host: h, facts: input.facts[h], vars: input.hostvars[h] ?? {} });
  const matched = isEtcd && view ? memberOfHost(identity(master), view.members) : null;
  const upMasters = remainingMasters.filter((h) => input.up_hosts.includes(h));
  const etcdVia = withQuorum[0] ?? remainingMasters[0] ?? null;
  const viaMember = etcdVia && view ? memberOfHost(identity(etcdVia), view.members)?.member : undefined;
  const throughUrl = etcdVia ? (input.facts[etcdVia]?.client_url ?? viaMember?.client_urls[0] ?? `https://${etcdVia}:2379`) : null;

  const clientUrls: string[] = [];
  const addUrl = (u: string | null | undefined) => u && !clientUrls.includes(u) && clientUrls.push(u);
  addUrl(`https://${nodeName}:2379`);
  addUrl(input.facts[master]?.client_url);
  for (const u of matched?.member.client_urls ?? []) addUrl(u);
  addUrl(`https://${str(vars.etcd_ip) ?? str(vars.openshift_ip) ?? str(vars.ansible_host) ?? master}:2379`);

  const caMaster = masters[0]!;
  return {
    ok: true,
    plan: {
      master,
      nothing_to_do: false,
      node_name: nodeName,
      is_etcd: isEtcd,
      member: matched ? { id: matched.member.id!, name: matched.member.name } : null,
      ca_master: caMaster,
      remaining_masters: upMasters,
      remaining_etcd: remainingEtcd,
      through: upMasters[0] ?? null,
      through_etcd_url: throughUrl,
      client_urls: clientUrls,
      summary: [
        `deprecating ${master} (${nodeName}); ${remainingMasters.length} masters and ${remainingEtcd.length} etcd members remain${input.force ? ' (forced)' : ''}`,
        master === caMaster
          ? `${master} holds the CA (first master of the inventory): its serial file and CA folders are copied to ${upMasters.join(', ')} first`
          : `the CA stays on ${caMaster}`,
        isEtcd
          ? matched
            ? `etcd member ${matched.member.name} (${matched.member.id}) is removed through ${throughUrl}`
            : `${master} runs no member the cluster still lists: nothing to remove from etcd`
          : `${master} is not an etcd host`,
      ],
    },
  };
}
