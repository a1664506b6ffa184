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

type Matcher = { test: (m: MemberRef) => boolean; by: string };

/**
 * The ways a host may be matched to its member, most certain first: its own
 * etcd.conf when it answered (then nothing else is guessed); else
 * openshift-ansible's name variables, its address variables, and last the
 * inventory's own name (as ETCD_NAME, as the short form of it, as an address).
 */
function matchers(h: HostIdentity): Matcher[] {
  const byName = (name: string, source: string): Matcher => ({ test: (m) => m.name === name, by: `name ${name} (${source})` });
  const byAddr = (addr: string, source: string): Matcher => ({
    test: (m) => m.peer_urls.some((u) => urlAddress(u) === addr),
    by: `peer URL address ${addr} (${source})`,
  });
  const f = h.facts;
  if (f?.name || f?.ip || f?.peer_url) {
    const own: Matcher[] = [];
    if (f.name) own.push(byName(f.name, 'its etcd.conf'));
    const addr = f.peer_url ? urlAddress(f.peer_url) : f.ip;
    if (!f.name && addr) own.push(byAddr(addr, 'its etcd.conf'));
    return own;
  }
  const out: Matcher[] = [];
  for (const k of ['etcd_hostname', 'openshift_hostname']) {
    const v = str(h.vars[k]);
    if (v) out.push(byName(v, k));
  }
  for (const k of ['etcd_ip', 'openshift_ip', 'ansible_host']) {
    const v = str(h.vars[k]);
    if (v) out.push(byAddr(v, k));
  }
  out.push(byName(h.host, 'its inventory name'));
  if (!h.host.includes('.')) {
    // A host named by its short name (master-0) runs the member its FQDN names (master-0.example.com).
    out.push({ test: (m) => m.name.split('.')[0] === h.host, by: `its inventory name ${h.host}, the short form of the member's` });
  }
  out.push(byAddr(h.host, 'its inventory name'));
  return out;
}

/** The member a host runs and how it was matched, or null. */
export function memberOfHost<M extends MemberRef>(h: HostIdentity, members: M[]): { member: M; by: string } | null {
  for (const { test, by } of matchers(h)) {
    const m = members.find(test);
    if (m) return { member: m, by };
  }
  return null;
}
