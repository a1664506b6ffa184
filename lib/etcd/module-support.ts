/**
 * What the three etcd modules share on top of the module kit: arguments to
 * an EtcdConn (a bad one is the task's error, with its position), etcdctl
 * runs through the task's host handle, and the member list as a declared read.
 */
import { reads, TsplayError, type HostView, type PlanContext, type Read, type ExecResult } from '../module/kit.js';
import { advertisedClientUrls } from './discover.js';
import { clientUrlOf, endpointFromVars, etcdctlCommand, resolveConn, splitUrls, type EtcdConn, type EtcdConnArgs } from './etcdctl.js';
import type { EtcdExec } from './read.js';

/** Where OpenShift 3.11 keeps a member's settings, on a host with etcd.service and in the static pod alike. */
export const ETCD_CONF = '/etc/etcd/etcd.conf';

/**
 * The endpoint when neither `endpoints` nor the variables give one: the first
 * URL the host's own etcd.conf advertises (one extra read, only then), else
 * its ansible_host.
 */
async function fallbackEndpoint(ctx: Pick<PlanContext, 'vars' | 'host'>): Promise<string | undefined> {
  const conf = await ctx.host.read(ETCD_CONF).catch(() => null);
  const advertised = conf?.text ? advertisedClientUrls(conf.text)[0] : undefined;
  if (advertised) return advertised;
  const addr = ctx.vars.ansible_host;
  return typeof addr === 'string' && addr !== '' ? clientUrlOf(addr) : undefined;
}

/** The connection settings, or the task's error naming its file:line:col. */
export async function connFor(args: EtcdConnArgs, ctx: Pick<PlanContext, 'vars' | 'task' | 'host'>): Promise<EtcdConn> {
  // The host's files are read only when neither the arguments nor the variables give an endpoint.
  const needsFallback = splitUrls(args.endpoints).length === 0 && endpointFromVars(ctx.vars) === undefined;
  const fallback = needsFallback ? await fallbackEndpoint(ctx) : undefined;
  try {
    return resolveConn(args, ctx.vars, fallback);
  } catch (e) {
    throw new TsplayError('validation', `${ctx.task.name}: ${(e as Error).message}`, { pos: ctx.task.pos });
  }
}

/** An argument the schema cannot judge (e.g. a member ID that is not hex), as the task's error. */
export function badArgument(ctx: Pick<PlanContext, 'task'>, message: string): TsplayError {
  return new TsplayError('validation', message, { pos: ctx.task.pos });
}

/** etcdctl through the task's host handle; a non-zero exit is data. */
export function etcdExec(host: HostView): EtcdExec {
  return (command) => host.run(command, { allowFailure: true });
}

/** `member list -w json` as a declared read, so it comes in the task's first round trip. */
export function memberListRead(conn: EtcdConn): Read<ExecResult> {
  return reads.command(etcdctlCommand(conn, ['member', 'list', '-w', 'json']));
}

/** The declared reads, or none when the arguments are bad (plan() then reports why). */
export function memberListReads(args: EtcdConnArgs, vars: Readonly<Record<string, unknown>>): Read<unknown>[] {
  try {
    return [memberListRead(resolveConn(args, vars))];
  } catch {
    return [];
  }
}

/**
 * An EtcdExec that answers the member list from the declared read and runs
 * everything else: listMembers() then costs no extra round trip.
 */
export function execWithReads(host: HostView, conn: EtcdConn): EtcdExec {
  const listed = memberListRead(conn);
  const run = etcdExec(host);
  return (command) => (command === etcdctlCommand(conn, ['member', 'list', '-w', 'json']) ? host.get(listed) : run(command));
}
