/**
 * etcd_status: the state of the etcd cluster as a restore needs it. Read-only,
 * so it runs in check mode too; an unreachable endpoint is data, not a failure.
 */
import { defineModule } from '../lib/module/kit.js';
import { describeView } from '../lib/etcd/cluster.js';
import { etcdConnProperties, type EtcdConnArgs } from '../lib/etcd/etcdctl.js';
import { connFor, execWithReads, memberListReads } from '../lib/etcd/module-support.js';
import { listMembers, readView } from '../lib/etcd/read.js';
import { inventoryEtcdHosts, withHosts } from '../lib/etcd/hosts.js';

export default defineModule<EtcdConnArgs>({
  name: 'etcd_status',
  description:
    'Reports the etcd cluster: members (hex ID, name, peer and client URLs, started), each endpoint\'s health and status ' +
    '(leader, raft term and index, DB size, errors), whether quorum holds, the survivor a restore should keep (the reachable ' +
    'member with the highest raft index), and the lost members, each with its inventory host (by etcd_hostname, openshift_hostname, etcd_ip, openshift_ip, ansible_host or the host name). Changes nothing; runs in check mode.',
  examples: [
    '- name: Read the etcd cluster\n  etcd_status:\n  register: etcd\n\n- debug:\n    msg: "quorum {{ etcd.quorum }}, survivor {{ etcd.survivor.name }}: {{ etcd.survivor.reason }}"',
    '- etcd_status:\n    endpoints: https://10.0.0.1:2379,https://10.0.0.2:2379\n  register: etcd',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { ...etcdConnProperties },
  },
  reads: (args, { vars }) => memberListReads(args, vars),
  async plan(args, ctx) {
    const conn = await connFor(args, ctx);
    const exec = execWithReads(ctx.host, conn);
    const listed = await listMembers(exec, conn);
    if (!listed.ok) {
      // No endpoint answered: still a result a playbook can test, not a failure.
      return {
        changed: false,
        msg: `no member answered: ${listed.error}`,
        result: {
          reachable: false,
          error: listed.error,
          members: [],
          member_count: 0,
          learner_count: 0,
          healthy_count: 0,
          reachable_count: 0,
          quorum: false,
          survivor: null,
          lost: [],
          non_survivors: [],
        },
      };
    }
    const view = withHosts(await readView(exec, conn, listed), inventoryEtcdHosts(ctx.vars));
    return { changed: false, msg: describeView(view), result: { reachable: true, ...view } };
  },
});
