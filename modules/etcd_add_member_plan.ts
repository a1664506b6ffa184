/**
 * etcd_add_member_plan: the decisions of adding an etcd host back (38.1.4),
 * computed on the controller from the joining host's own files and what the
 * other etcd hosts said. Touches no host; runs in check mode.
 */
import { defineModule, ModuleError } from '../lib/module/kit.js';
import { planAddMember } from '../lib/etcd/add-member-plan.js';
import { planSourceSchema, planSources, type PlanSourceArgs } from '../lib/etcd/plan-inputs.js';

interface Args extends PlanSourceArgs {
  host?: string | null;
  up_hosts?: string[];
  etcd_hosts?: string[];
  inventory_hosts?: string[];
}

export default defineModule<Args>({
  name: 'etcd_add_member_plan',
  description:
    'The plan of adding an etcd host to the cluster (OpenShift 3.11 chapter 38.1.4): the joining member\'s name and peer URL from the ' +
    'host\'s own etcd.conf (its openshift_etcd_facts), the etcd host that adds it (one that answers with quorum) and its client URL, a ' +
    'member already listed under that name or peer URL, and already_healthy when there is nothing to do. Refuses without a known host, ' +
    'for a host that is down or whose name and peer URL could not be learned, and while no member answers with quorum. Runs on the ' +
    'controller, touches no host; runs in check mode.',
  examples: [
    '- name: A.4 The plan\n  etcd_add_member_plan:\n    host: "{{ host | default(omit) }}"\n    status: "{{ views }}"\n    facts: "{{ discovered }}"\n    up_hosts: "{{ up_hosts }}"\n  register: add_plan\n\n' +
      '- etcd_member:\n    name: "{{ add_plan.name }}"\n    peer_urls: "{{ add_plan.peer_url }}"\n    endpoints: "{{ add_plan.through_url }}"\n  delegate_to: "{{ add_plan.through }}"\n  when: not add_plan.already_healthy',
  ],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      host: { type: ['string', 'null'], description: 'The host to add (-e host=HOST).' },
      ...planSourceSchema,
      etcd_hosts: { type: 'array', items: { type: 'string' }, description: 'The etcd hosts (default: [etcd]).' },
      inventory_hosts: { type: 'array', items: { type: 'string' }, description: 'Every host of the inventory (default: all).' },
      up_hosts: { type: 'array', items: { type: 'string' }, description: 'The hosts that answer (default: every host).' },
    },
  },
  async plan(args, ctx) {
    const groups = (ctx.vars.groups ?? {}) as Record<string, string[] | undefined>;
    const all = args.inventory_hosts ?? groups.all ?? [];
    const etcd = args.etcd_hosts ?? groups.etcd ?? [];
    const src = planSources(args, ctx.vars, [...etcd, ...(args.host ? [args.host] : [])]);
    const outcome = planAddMember({
      host: args.host ?? null,
      all_hosts: all,
      etcd_hosts: etcd,
      up_hosts: args.up_hosts ?? all,
      views: src.views,
      facts: src.facts,
      hostvars: src.hostvars,
    });
    if (!outcome.ok) throw new ModuleError(outcome.message, { result: { refusal: outcome.refusal } });
    return { changed: false, msg: outcome.plan.summary, result: { ...outcome.plan } };
  },
});
