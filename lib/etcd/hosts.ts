/**
 * Which inventory host each member runs on, so a playbook can delegate to the
 * survivor or loop over the lost hosts by name: the member's name is the
 * host's `etcd_name`, or its peer URL's address is the host's `etcd_ip`
 * (after --force-new-cluster the peer URL may say localhost, the name stays).
 */
import type { ClusterView, LostMember } from './cluster.js';

export interface EtcdHostVars {
  host: string;
  etcd_name?: string;
  etcd_ip?: string;
}

function urlHost(u: string): string {
  try {
    return new URL(u).hostname;
  } catch {
    return '';
  }
}

export function hostOf(hosts: EtcdHostVars[], member: { name: string; peer_urls: string[] }): string | null {
  const byName = member.name ? hosts.find((h) => h.etcd_name === member.name) : undefined;
  if (byName) return byName.host;
  const addrs = member.peer_urls.map(urlHost);
  return hosts.find((h) => h.etcd_ip && addrs.includes(h.etcd_ip))?.host ?? null;
}

/** The etcd hosts of the inventory (group `etcd`, else every host) with their etcd variables. */
export function inventoryEtcdHosts(vars: Readonly<Record<string, unknown>>): EtcdHostVars[] {
  const groups = (vars.groups ?? {}) as Record<string, string[] | undefined>;
  const hostvars = (vars.hostvars ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const names = groups.etcd ?? groups.all ?? [];
  return names.map((host) => {
    const hv = hostvars[host] ?? {};
    const s = (k: string) => (typeof hv[k] === 'string' ? (hv[k] as string) : undefined);
    return { host, etcd_name: s('etcd_name'), etcd_ip: s('etcd_ip') };
  });
}

/** The view with `host` on every member, the survivor and the lost (null when no host matches). */
export function withHosts(view: ClusterView, hosts: EtcdHostVars[]): ClusterView {
  const tag = <M extends { name: string; peer_urls: string[] }>(m: M) => ({ ...m, host: hostOf(hosts, m) });
  const survivorMember = view.members.find((m) => m.id === view.survivor?.id);
  return {
    ...view,
    members: view.members.map(tag),
    survivor: view.survivor && survivorMember ? { ...view.survivor, host: hostOf(hosts, survivorMember) } : view.survivor,
    lost: view.lost.map(tag) as LostMember[],
    non_survivors: view.non_survivors.map(tag) as LostMember[],
  };
}
