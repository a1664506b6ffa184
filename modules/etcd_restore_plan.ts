/**
 * etcd_restore_plan: the decisions of a quorum restore, computed on the
 * controller from what the hosts said (etcd_status, openshift_etcd_facts),
 * instead of in a playbook's Jinja. Touches no host; runs in check mode.
 */
import { defineModule, ModuleError } from '../lib/module/kit.js';
import { planSourceSchema, planSources, type PlanSourceArgs } from '../lib/etcd/plan-inputs.js';
import { planRestore, type ResumeRecord } from '../lib/etcd/restore-plan.js';

interface Args extends PlanSourceArgs {
  etcd_hosts?: string[];
  up_hosts?: string[];
  survivor?: string | null;
  force: boolean;
  resume?: ResumeRecord | null;
}

const hostList = { type: 'array', items: { type: 'string' } };

export default defineModule<Args>({
  name: 'etcd_restore_plan',
  description:
    'The plan of an etcd quorum restore (OpenShift 3.11 chapter 38.1), from the registered results of etcd_status (one per reachable etcd ' +
    'host) and openshift_etcd_facts: the survivor and why (its raft index against the others), the members to remove (IDs and names), the ' +
    'hosts to add back, the hosts that are down with what their own files would say (from the survivor\'s member list and ETCD_INITIAL_CLUSTER), ' +
    'and the summary lines to record. Refuses, with the numbers, when no member answers, when quorum holds (unless force), when -e survivor ' +
    'names a host without a reachable member, when it names one with an older raft index (unless force), and when the survivor runs on no ' +
    'inventory host. A resume record (the restore-in-progress file of an interrupted run) fixes the survivor and the hosts. Runs on the ' +
    'controller, touches no host; runs in check mode.',
  examples: [
    '- name: A.0 Read the cluster from every reachable etcd host\n  etcd_status:\n    endpoints: "{{ discovered.results | map(attribute=\'client_url\') | list }}"\n  delegate_to: "{{ item }}"\n  loop: "{{ groups.etcd | intersect(up_hosts) }}"\n  register: etcd_views\n\n' +
      '- name: A.0 The plan\n  etcd_restore_plan:\n    status: "{{ etcd_views }}"\n    facts: "{{ discovered }}"\n    up_hosts: "{{ up_hosts }}"\n    survivor: "{{ survivor | default(omit) }}"\n    force: "{{ force | default(false) }}"\n    resume: "{{ resume }}"\n  register: plan\n\n' +
      '- debug:\n    msg: "{{ plan.summary }}"',
    '- etcd_restore_plan:\n    status: "{{ etcd_views }}"\n    facts_var: etcd_facts        # registered by openshift_etcd_facts on each etcd host\n  delegate_to: localhost\n  run_once: true\n  register: plan',
  ],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['status'],
    properties: {
      ...planSourceSchema,
      etcd_hosts: { ...hostList, description: 'The etcd hosts (default: [etcd]); a resume record\'s win.' },
      up_hosts: { ...hostList, description: 'The hosts that answer (default: every etcd host).' },
      survivor: { type: ['string', 'null'], description: 'The host to keep (default: the reachable member with the highest raft index).' },
      force: { type: 'boolean', default: false, description: 'Restore although quorum holds, or keep an older -e survivor.' },
      resume: { type: ['object', 'null'], description: 'The restore-in-progress record of an interrupted run: {survivor, etcd_hosts, stamp, started}.' },
    },
  },
  async plan(args, ctx) {
    const groups = (ctx.vars.groups ?? {}) as Record<string, string[] | undefined>;
    const etcdHosts = args.etcd_hosts ?? groups.etcd ?? [];
    const { views, facts, hostvars } = planSources(args, ctx.vars, args.resume?.etcd_hosts ?? etcdHosts);
    const outcome = planRestore({
      etcd_hosts: etcdHosts,
      up_hosts: args.up_hosts ?? etcdHosts,
      views,
      facts,
      hostvars,
      survivor: args.survivor ?? null,
      force: args.force,
      resume: args.resume ?? null,
    });
    if (!outcome.ok) throw new ModuleError(outcome.message, { result: { refusal: outcome.refusal } });
    const p = outcome.plan;
    return { changed: false, msg: p.summary.join('; '), result: { ...p } };
  },
});
