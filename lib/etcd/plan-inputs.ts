/**
 * What the plan modules share: the registered etcd_status and
 * openshift_etcd_facts results per host, and the inventory variables of the
 * hosts concerned (read one host at a time from the lazy hostvars).
 */
import type { HostFacts } from './host-match.js';
import { byHost, setOwn } from './registered.js';
import type { StatusView } from './restore-plan.js';

export interface PlanSourceArgs {
  status?: unknown;
  facts?: unknown;
  facts_var?: string;
}

export const planSourceSchema = {
  status: { type: ['array', 'object'], description: "etcd_status results: a loop's registered results (each `item` a host) or host → result." },
  facts: { type: ['array', 'object'], description: 'openshift_etcd_facts results, the same shapes.' },
  facts_var: { type: 'string', minLength: 1, description: 'Or: the variable each host registered openshift_etcd_facts as.' },
} as const;

export interface PlanSources {
  views: Record<string, StatusView>;
  facts: Record<string, HostFacts>;
  hostvars: Record<string, Readonly<Record<string, unknown>>>;
  groups: Record<string, string[] | undefined>;
}

export function planSources(args: PlanSourceArgs, vars: Readonly<Record<string, unknown>>, hosts: readonly string[]): PlanSources {
  const groups = (vars.groups ?? {}) as Record<string, string[] | undefined>;
  const all = (vars.hostvars ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const hostvars: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const h of new Set(hosts)) {
    const v = all[h];
    setOwn(hostvars, h, v && typeof v === 'object' && v !== Object.prototype ? v : {});
  }
  const facts = byHost(args.facts) as Record<string, HostFacts>;
  if (args.facts_var) {
    for (const h of Object.keys(hostvars)) {
      const r = byHost({ [h]: hostvars[h]![args.facts_var] })[h];
      if (r && !Object.hasOwn(facts, h)) setOwn(facts, h, r as HostFacts);
    }
  }
  return { views: byHost(args.status) as unknown as Record<string, StatusView>, facts, hostvars, groups };
}
