/**
 * A lab of one etcd topology for the playbook scenarios: a clean cluster
 * with a fresh copy of the inventory an operator writes for it (hosts by
 * FQDN, no lab variables), and the etcd members healthy in it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lab, labTopologyStatus } from '../helpers/lab.js';
import { labOk } from './scenarios.js';

export const fqdn = (h: string) => `${h}.example.com`;

export interface Topology {
  /** `lab up`/`lab inventory` flags. */
  flags: string[];
  /** How etcd runs on its members (mixed: etcd.service on master-0, the static pod on the other masters). */
  deployment: 'service' | 'static-pod' | 'mixed';
}

export const STATIC_POD: Topology = { flags: ['--etcd', 'static-pod'], deployment: 'static-pod' };
export const DEDICATED: Topology = { flags: ['--etcd-hosts', '3'], deployment: 'service' };
export const MIXED: Topology = { flags: ['--etcd', 'mixed'], deployment: 'mixed' };

/** How etcd runs on a lab host in the topology. */
export function deploymentOf(topology: Topology, host: string): 'service' | 'static-pod' {
  if (topology.deployment !== 'mixed') return topology.deployment;
  return host === 'master-0' ? 'service' : 'static-pod';
}

/**
 * Resets the lab (same topology) and writes a fresh copy of the operator's
 * inventory for it (or, with fqdn: false, the lab's own: short names with
 * openshift_hostname).
 */
export async function freshCluster(topology: Topology, opts: { fqdn?: boolean } = {}): Promise<string> {
  await labOk('reset');
  const r = await lab('inventory', ...topology.flags, ...(opts.fqdn === false ? [] : ['--fqdn']));
  if (r.rc !== 0) throw new Error(`lab inventory failed: ${r.stderr}`);
  const file = join(mkdtempSync(join(tmpdir(), 'tsplay-topology-')), 'hosts');
  writeFileSync(file, r.stdout);
  return file;
}

/** The lab hosts whose etcd is healthy and runs as the topology says for that host, sorted. */
export async function healthyMembers(topology: Topology): Promise<string[]> {
  const st = await labTopologyStatus();
  return st.hosts.filter((h) => h.etcd?.healthy && h.etcd.deployment === deploymentOf(topology, h.name)).map((h) => h.name).sort();
}
