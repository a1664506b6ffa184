/**
 * etcd_defrag: defragments one etcd member (`etcdctl defrag` on its own
 * endpoint, never --cluster), after checking that every member is healthy.
 * Reads before and after give the DB size; a timeout error raises
 * --command-timeout and tries again, as the document says.
 */
import { defineModule, ModuleError } from '../lib/module/kit.js';
import { etcdConnProperties, type EtcdConnArgs } from '../lib/etcd/etcdctl.js';
import { badArgument, connFor, execWithReads, memberListReads } from '../lib/etcd/module-support.js';
import { listMembers, readView } from '../lib/etcd/read.js';
import { defragment, humanBytes, memberAt, memberStatus, parseDuration, timeoutSteps, unsafeToDefragment } from '../lib/etcd/defrag.js';
import type { EtcdConn } from '../lib/etcd/etcdctl.js';

interface Args extends EtcdConnArgs {
  command_timeout: string | number;
  max_command_timeout: string | number;
  min_free_bytes: number;
}

interface State {
  conn: EtcdConn;
  endpoint: string;
  steps: number[];
}

export default defineModule<Args, State>({
  name: 'etcd_defrag',
  description:
    'Defragments one etcd member: `etcdctl defrag` on its endpoint only (the first of `endpoints`, by default the host\'s own), ' +
    'so the member gives the space history compaction freed back to the file system. Refuses, changing nothing, unless every voting ' +
    'member is healthy (a member being defragmented does not answer until it finishes). On a timeout error it doubles ' +
    '--command-timeout and tries again, up to max_command_timeout. Returns the member (name, id, whether it leads) and its DB size ' +
    'and size in use before and after. A member with no more than min_free_bytes free is left alone (not changed).',
  examples: [
    '- name: Defragment this host\'s member\n  etcd_defrag:\n  register: defrag\n\n- debug:\n    msg: "{{ defrag.name }}: {{ defrag.db_size_before }} -> {{ defrag.db_size_after }} bytes"',
    '- etcd_defrag:\n    endpoints: https://10.0.0.2:2379\n    command_timeout: 30s\n    max_command_timeout: 10m',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      command_timeout: {
        type: ['string', 'number'],
        default: '30s',
        description: 'The first --command-timeout of the defrag (seconds, or a duration such as 30s or 2m): the document\'s 30s.',
      },
      max_command_timeout: {
        type: ['string', 'number'],
        default: '5m',
        description: 'The longest --command-timeout tried: after a timeout error the timeout doubles up to this, then the task fails.',
      },
      min_free_bytes: {
        type: 'integer',
        minimum: 0,
        default: 0,
        description: 'Leave the member alone when its DB has no more than this many bytes free (DB size minus size in use; etcd 3.4 and later report it).',
      },
      ...etcdConnProperties,
    },
  },
  reads: (args, { vars }) => memberListReads(args, vars),
  async plan(args, ctx) {
    const conn = await connFor(args, ctx);
    const first = parseDuration(args.command_timeout);
    const max = parseDuration(args.max_command_timeout);
    if (!(first > 0)) throw badArgument(ctx, `command_timeout: '${args.command_timeout}' is not a duration (e.g. 30s, 2m)`);
    if (!(max >= first)) throw badArgument(ctx, `max_command_timeout: '${args.max_command_timeout}' is not a duration at least command_timeout (${first}s)`);
    const endpoint = conn.endpoints[0]!;
    const exec = execWithReads(ctx.host, conn);
    const listed = await listMembers(exec, { ...conn, endpoints: [endpoint] });
    if (!listed.ok) throw new ModuleError(`cannot read the cluster through ${endpoint}: ${listed.error}. Nothing was defragmented.`);
    const view = await readView(exec, conn, listed);
    const member = memberAt(view, endpoint);
    if (!member) throw new ModuleError(`no member of the cluster has the client URL ${endpoint}. Nothing was defragmented.`);
    const unsafe = unsafeToDefragment(view);
    if (unsafe) throw new ModuleError(`${unsafe}. Nothing was defragmented: bring every member back to health first.`);
    const free = member.db_size !== undefined && member.db_size_in_use !== undefined ? member.db_size - member.db_size_in_use : undefined;
    const result = {
      name: member.name,
      id: member.id,
      endpoint,
      is_leader: member.is_leader,
      db_size_before: member.db_size,
      db_size_in_use_before: member.db_size_in_use,
    };
    if (free !== undefined && free <= args.min_free_bytes) {
      return {
        changed: false,
        msg: `${member.name}: DB ${humanBytes(member.db_size)}, ${free} bytes free: nothing to defragment`,
        result: { ...result, db_size_after: member.db_size, db_size_in_use_after: member.db_size_in_use },
      };
    }
    return {
      changed: true,
      msg:
        `${ctx.check ? 'would defragment' : 'defragment'} ${member.name} (${endpoint}${member.is_leader ? ', the leader' : ''}): ` +
        `DB ${humanBytes(member.db_size)}${free !== undefined ? `, ${humanBytes(free)} free` : ''}`,
      result,
      state: { conn, endpoint, steps: timeoutSteps(first, max) },
    };
  },
  async apply(_args, ctx, plan) {
    const { conn, endpoint, steps } = plan.state!;
    const exec = (command: string) => ctx.host.run(command, { allowFailure: true });
    const before = plan.result as { name: string; db_size_before?: number };
    const done = await defragment(exec, conn, endpoint, steps);
    for (const a of done.attempts) ctx.log(`defrag of ${before.name} timed out (${a}); trying a longer --command-timeout`);
    if (!done.ok) throw new ModuleError(`defragmenting ${before.name} (${endpoint}) failed: ${done.error}`);
    const after = await memberStatus(exec, conn, endpoint);
    return {
      changed: true,
      msg: `defragmented ${before.name} (${endpoint}): DB ${humanBytes(before.db_size_before)} -> ${humanBytes(after.db_size)}`,
      result: {
        ...plan.result,
        db_size_after: after.db_size,
        db_size_in_use_after: after.db_size_in_use,
        command_timeout: `${done.timeout}s`,
        ...(done.attempts.length ? { timed_out: done.attempts } : {}),
        ...(after.error ? { status_error: after.error } : {}),
      },
    };
  },
});
