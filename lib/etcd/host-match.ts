/**
 * Which inventory host runs which etcd member, learned as an operator would:
 * the host's own etcd.conf (its discovered name and URLs) first, then
 * openshift-ansible's variables (etcd_hostname, openshift_hostname, etcd_ip,
 * openshift_ip), then the inventory's own naming (ansible_host, the host name
 * itself, which openshift-ansible makes ETCD_NAME by default, or its short
 * form). A host that is down has no facts; its variables and name still
 * match it to the member the survivor lists.
 */
import { urlAddress } from './discover.js';

export interface MemberRef {
  id?: string;
  name: string;
  peer_urls: string[];
  client_urls?: string[];
}

/** What the host's own files said (openshift_etcd_facts), when it was reachable. */
export interface HostFacts {
  name?: string | null;
  ip?: string | null;
  client_url?: string | null;
  peer_url?: string | null;
  initial_cluster?: Record<string, string>;
}

export interface HostIdentity {
  host: string;
  facts?: HostFacts;
  vars: Readonly<Record<string, unknown>>;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The names a host's member may have, best first, each with where it came from. */
export function candidateNames(h: HostIdentity): [string, string][] {
  const out: [string, string][] = [];
  const add = (v: string | null | undefined, source: string) => {
    if (v && !out.some(([n]) => n === v)) out.push([v, source]);
  };
  // A host that answered has the name its etcd.conf (or etcd_hostname) gives: nothing else is guessed.
  if (h.facts?.name) return [[h.facts.name, 'its etcd.conf']];
  add(str(h.vars.etcd_hostname), 'etcd_hostname');
  add(str(h.vars.openshift_hostname), 'openshift_hostname');
  add(h.host, 'its inventory name');
  add(h.host.split('.')[0], 'its short name');
  return out;
}

/** The addresses a host's member URLs may use, best first. */
export function candidateAddresses(h: HostIdentity): [string, string][] {
  const out: [string, string][] = [];
  const add = (v: string | null | undefined, source: string) => {
    if (v && !out.some(([a]) => a === v)) out.push([v, source]);
  };
  if (h.facts?.ip || h.facts?.peer_url) {
    add(h.facts.peer_url ? urlAddress(h.facts.peer_url) : undefined, 'its etcd.conf');
    add(h.facts.ip, 'its etcd.conf');
    return out;
  }
  add(str(h.vars.etcd_ip), 'etcd_ip');
  add(str(h.vars.openshift_ip), 'openshift_ip');
  add(str(h.vars.ansible_host), 'ansible_host');
  add(h.host, 'its inventory name');
  return out;
}

/** The member a host runs and how it was matched, or null. */
export function memberOfHost<M extends MemberRef>(h: HostIdentity, members: M[]): { member: M; by: string } | null {
  for (const [name, source] of candidateNames(h)) {
    const m = members.find((x) => x.name === name);
    if (m) return { member: m, by: `name ${name} (${source})` };
  }
  for (const [addr, source] of candidateAddresses(h)) {
    const m = members.find((x) => x.peer_urls.some((u) => urlAddress(u) === addr));
    if (m) return { member: m, by: `peer URL address ${addr} (${source})` };
  }
  return null;
}

/** The inventory host a member runs on, or null. */
export function hostOfMember(member: MemberRef, hosts: HostIdentity[]): string | null {
  return hosts.find((h) => memberOfHost(h, [member]) !== null)?.host ?? null;
}
