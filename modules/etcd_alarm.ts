/**
 * etcd_alarm: the cluster's alarms (`etcdctl alarm list`) and, with
 * disarm: true, `alarm disarm` when every alarm is NOSPACE, then the list
 * again. A CORRUPT alarm is never disarmed: it says a member's data differs.
 */
import { defineModule, ModuleError, type ExecResult } from '../lib/module/kit.js';
import { etcdConnProperties, etcdctlCommand, type EtcdConn, type EtcdConnArgs } from '../lib/etcd/etcdctl.js';
import { connFor } from '../lib/etcd/module-support.js';
import { etcdctlError, parseAlarmList, type Alarm } from '../lib/etcd/parse.js';

interface Args extends EtcdConnArgs {
  disarm: boolean;
}

async function listAlarms(run: (c: string) => Promise<ExecResult>, conn: EtcdConn): Promise<Alarm[]> {
  const r = await run(etcdctlCommand(conn, ['alarm', 'list']));
  if (r.rc !== 0) throw new ModuleError(`etcdctl alarm list through ${conn.endpoints.join(',')} failed: ${etcdctlError(r.stderr, r.stdout)}`);
  return parseAlarmList(r.stdout);
}

function describe(alarms: Alarm[]): string {
  return alarms.length ? alarms.map((a) => `${a.alarm} on ${a.member_id}`).join(', ') : 'no alarm';
}

export default defineModule<Args, { conn: EtcdConn }>({
  name: 'etcd_alarm',
  description:
    "Lists the etcd cluster's alarms (`etcdctl alarm list`: NOSPACE when a member's DB reached its quota, CORRUPT when a member's data " +
    'differs). With disarm: true and NOSPACE alarms raised, runs `etcdctl alarm disarm` and lists them again; it refuses, changing nothing, while a ' +
    'CORRUPT alarm is raised (that one needs the member replaced, not disarmed). Disarming only helps once the space is free again ' +
    '(after compaction and a defrag): a write past the quota raises NOSPACE again. Runs in check mode (the list only).',
  examples: [
    '- name: Clear NOSPACE once every member is defragmented\n  etcd_alarm:\n    disarm: true\n  register: alarms\n\n- debug:\n    msg: "before: {{ alarms.alarms_before }}, now: {{ alarms.alarms }}"',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      disarm: { type: 'boolean', default: false, description: 'Disarm the NOSPACE alarms (false: only list them).' },
      ...etcdConnProperties,
    },
  },
  async plan(args, ctx) {
    const conn = await connFor(args, ctx);
    const alarms = await listAlarms((c) => ctx.host.run(c, { allowFailure: true }), conn);
    const corrupt = alarms.filter((a) => a.alarm !== 'NOSPACE');
    if (args.disarm && corrupt.length) {
      throw new ModuleError(
        `the cluster has ${describe(corrupt)}: it is not disarmed (a member's data differs from the others'; replace that member). Nothing was disarmed.`,
      );
    }
    const change = args.disarm && alarms.length > 0;
    return {
      changed: change,
      msg: change ? `${ctx.check ? 'would disarm' : 'disarm'} ${describe(alarms)}` : describe(alarms),
      result: { alarms_before: alarms, alarms },
      state: { conn },
    };
  },
  async apply(_args, ctx, plan) {
    const { conn } = plan.state!;
    const run = (c: string) => ctx.host.run(c, { allowFailure: true });
    const r = await run(etcdctlCommand(conn, ['alarm', 'disarm']));
    if (r.rc !== 0) throw new ModuleError(`etcdctl alarm disarm failed: ${etcdctlError(r.stderr, r.stdout)}`);
    const after = await listAlarms(run, conn);
    const before = (plan.result as { alarms_before: Alarm[] }).alarms_before;
    return {
      changed: true,
      msg: `disarmed ${describe(before)}; alarm list now: ${describe(after)}`,
      result: { alarms_before: before, alarms: after },
    };
  },
});
