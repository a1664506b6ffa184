/**
 * Which inventory host each member runs on, so a playbook can delegate to the
 * survivor or loop over the lost hosts by name. The matching is host-match's,
 * the one the plan modules use: openshift-ansible's variables (etcd_hostname,
 * openshift_hostname, etcd_ip, openshift_ip), then ansible_host and the
 * inventory name itself (after --force-new-cluster the peer URL may say
 * localhost; the name stays).
 */
import type { ClusterView, LostMember } from './cluster.js';
import { memberOfHost, type HostIdentity } from './host-match.js';

/** The etcd hosts of the inventory (group `etcd`, else every host) with their variables. */
export function inventoryEtcdHosts(vars: Readonly<Record<string, unknown>>): HostIdentity[] {
  const groups = (vars.groups ?? {}) as Record<string, string[] | undefined>;
  const hostvars = (vars.hostvars ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const names = groups.etcd ?? groups.all ?? [];
  return names.map((host) => ({ host, vars: hostvars[host] ?? {} }));
}

type Tagged = { name: string; peer_urls: string[] };

/** The member -> host map: each host claims the member it runs; a member two hosts claim goes to the first. */
function hostsByMember<M extends Tagged>(members: M[], hosts: HostIdentity[]): Map<M, string> {
  const out = new Map<M, string>();
  for (const h of hosts) {
    const found = memberOfHost(h, members);
    if (found && !out.has(found.member)) out.set(found.member, h.host);
  }
  return out;
}

/** The view with `host` on every member, the survivor and the lost (null when no host matches). */
export function withHosts(view: ClusterView, hosts: HostIdentity[]): ClusterView {
  const byMember = hostsByMember(view.members, hosts);
  const hostOf = (m: Tagged) => {
    const same = view.members.find((x) => x.name === m.name && x.peer_urls.join() === m.peer_urls.join());
    return (same && byMember.get(same)) ?? null;
  };
  const tag = <M extends Tagged>(m: M) => ({ ...m, host: hostOf(m) });
  const survivorMember = view.members.find((m) => m.id === view.survivor?.id);
  return {
    ...view,
    members: view.members.map(tag),
    survivor: view.survivor && survivorMember ? { ...view.survivor, host: hostOf(survivorMember) } : view.survivor,
    lost: view.lost.map(tag) as LostMember[],
    non_survivors: view.non_survivors.map(tag) as LostMember[],
  };
}
