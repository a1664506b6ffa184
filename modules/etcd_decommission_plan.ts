/**
 * etcd_decommission_plan: the decisions of deprecating a master (5.2.1),
 * computed on the controller from the inventory and what the remaining etcd
 * hosts said. Touches no host; runs in check mode.
 */
import { defineModule, ModuleError } from '../lib/module/kit.js';
import { planDecommission } from '../lib/etcd/decommission-plan.js';
import { planSourceSchema, planSources, type PlanSourceArgs } from '../lib/etcd/plan-inputs.js';

interface Args extends PlanSourceArgs {
  master?: string | null;
  up_hosts?: string[];
  masters?: string[];
  etcd_hosts?: string[];
  inventory_hosts?: string[];
  force: boolean;
}

export default defineModule<Args>({
  name: 'etcd_decommission_plan',
  description:
    'The plan of deprecating a master (OpenShift 3.11 chapter 5.2.1): the masters and etcd members left, the etcd member to remove (ID and ' +
    'name, as the remaining members list it), the master and etcd URL the steps run through, which master holds the CA, the node name, and ' +
    'the client URLs to take out of master-config.yaml and flanneld. Refuses without a master, for a host outside [masters], below three ' +
    'masters or etcd members or to an even number (unless force), and while etcd has no quorum through the remaining hosts. A host the ' +
    'inventory no longer lists gives nothing_to_do. Runs on the controller, touches no host; runs in check mode.',
  examples: [
    '- name: B.0 What the remaining etcd hosts say\n  etcd_status:\n    endpoints: "{{ discovered.results | map(attribute=\'client_url\') | list }}"\n  delegate_to: "{{ item }}"\n  loop: "{{ groups.etcd | reject(\'equalto\', master) | intersect(up_hosts) }}"\n  register: views\n\n' +
      '- name: B.0 The plan\n  etcd_decommission_plan:\n    master: "{{ master | default(omit) }}"\n    status: "{{ views }}"\n    facts: "{{ discovered }}"\n    up_hosts: "{{ up_hosts }}"\n    force: "{{ force | default(false) }}"\n  register: decom\n\n' +
      '- meta: end_play\n  when: decom.nothing_to_do',
  ],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      master: { type: ['string', 'null'], description: 'The master to deprecate (-e master=HOST).' },
      ...planSourceSchema,
      masters: { type: 'array', items: { type: 'string' }, description: 'The masters (default: [masters]).' },
      etcd_hosts: { type: 'array', items: { type: 'string' }, description: 'The etcd hosts (default: [etcd]).' },
      inventory_hosts: { type: 'array', items: { type: 'string' }, description: 'Every host of the inventory (default: all).' },
      up_hosts: { type: 'array', items: { type: 'string' }, description: 'The hosts that answer (default: every host).' },
      force: { type: 'boolean', default: false, description: 'Go below 3 masters, or to an even number.' },
    },
  },
  async plan(args, ctx) {
    const groups = (ctx.vars.groups ?? {}) as Record<string, string[] | undefined>;
    const all = args.inventory_hosts ?? groups.all ?? [];
    const masters = args.masters ?? groups.masters ?? [];
    const etcd = args.etcd_hosts ?? groups.etcd ?? [];
    const src = planSources(args, ctx.vars, [...masters, ...etcd, ...(args.master ? [args.master] : [])]);
    const outcome = planDecommission({
      master: args.master ?? null,
      all_hosts: all,
      masters,
      etcd_hosts: etcd,
      up_hosts: args.up_hosts ?? all,
      views: src.views,
      facts: src.facts,
      hostvars: src.hostvars,
      force: args.force,
    });
    if (!outcome.ok) throw new ModuleError(outcome.message, { result: { refusal: outcome.refusal } });
    return { changed: false, msg: outcome.plan.summary.join('; '), result: { ...outcome.plan } };
  },
});
