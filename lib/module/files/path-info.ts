// Ansible's path attributes (module_utils/basic.py add_path_info): a module
// whose result names a `path` (or else a `dest`) that exists reports its
// uid, gid, owner, group, mode, state and size. One `stat` pair on the host
// gives them all: read with the task's other reads before plan() (a result
// that changes nothing), or once after a write (the file as it is now).

import { PATH_INFO_FOLLOWED_FORMAT, PATH_INFO_OWN_FORMAT } from '../../connection/stat-command.js';

export { pathInfoEcho, pathInfoOutput } from '../../connection/stat-command.js';
import { reads, shellQuote, type ApplyContext, type ModuleDefinition, type Plan, type Read, type ResultData } from '../kit.js';

export interface PathInfo {
  uid: number;
  gid: number;
  /** The user's name, or the uid as a string when the host has no name for it (as Python's pwd lookup falls back). */
  owner: string;
  group: string;
  /** '0644', '04755': the permission bits, at least three octal digits after a 0. */
  mode: string;
  /** link (the path itself), directory (followed), hard (more than one link), file. */
  state: 'link' | 'directory' | 'hard' | 'file';
  size: number;
}

// Owner, mode and size of the path itself (lstat); its type and link count through a final symlink (stat).
// The atomic write prints the same pair for the file it leaves (WriteOptions.pathInfoAfter).
const OWN = PATH_INFO_OWN_FORMAT;
const FOLLOWED = PATH_INFO_FOLLOWED_FORMAT;

/** The read of `path`'s attributes; null when nothing exists there (a dangling link counts as nothing, as os.path.exists says). */
export function pathInfoRead(path: string): Read<PathInfo | null> {
  const p = shellQuote(path);
  return reads.command(`if [ -e ${p} ]; then LC_ALL=C stat -c ${OWN} -- ${p} && LC_ALL=C stat -L -c ${FOLLOWED} -- ${p}; fi`, (r) => parsePathInfo(r.stdout));
}

export function parsePathInfo(stdout: string): PathInfo | null {
  const [own, followed] = stdout.split('\n');
  if (!own || !followed) return null;
  const [uid, gid, user, group, mode, size, type] = own.split('|');
  const [followedType, links] = followed.split('|');
  const named = (name: string, id: string) => (name && name !== 'UNKNOWN' ? name : id);
  return {
    uid: Number(uid),
    gid: Number(gid),
    owner: named(user, uid),
    group: named(group, gid),
    mode: '0' + mode.padStart(3, '0'),
    state: type === 'symbolic link' ? 'link' : followedType === 'directory' ? 'directory' : Number(links) > 1 ? 'hard' : 'file',
    size: Number(size),
  };
}

/** The path a result names, as Ansible picks it: `path`, else `dest`. */
export function resultPath(result: Readonly<Record<string, unknown>>): string | undefined {
  const p = result.path ?? result.dest;
  return typeof p === 'string' ? p : undefined;
}

/**
 * `result` with the attributes of the path it names (unchanged when it names
 * none, or nothing is there). `host` is plan()'s view or apply()'s host: in
 * plan() the read comes from the task's batch when the module declared it
 * (`pathInfoRead` in reads()); after a write it is one read of the host.
 */
export async function withPathInfo(host: { get<T>(read: Read<T>): Promise<T> }, result: Record<string, unknown>): Promise<Record<string, unknown>> {
  const path = resultPath(result);
  if (path === undefined) return result;
  const info = await host.get(pathInfoRead(path));
  return info ? { ...result, ...info } : result;
}

/**
 * A module whose every result reports the attributes of the path it names,
 * as Ansible's modules do through exit_json: the read is declared with the
 * module's own (no round trip more for plan()), and made once more after
 * apply() or direct() changed the host.
 */
export function reportingPathInfo<A, P>(def: ModuleDefinition<A, P>, pathOf: (args: A) => string): ModuleDefinition<A, P> {
  const { apply, direct } = def;
  // A result whose change already reported the path as it left it (`uid` set) needs no read.
  const add = async (host: Parameters<typeof withPathInfo>[0], result: ResultData | undefined) => (result && !('uid' in result) ? withPathInfo(host, result) : result);
  // apply() gets the plan's own result: the attributes read before the change are not the path's any more.
  const ownResults = new WeakMap<Plan<P>, ResultData | undefined>();
  return {
    ...def,
    reads: (args, ctx) => [...(def.reads?.(args, ctx) ?? []), pathInfoRead(pathOf(args))],
    async plan(args, ctx) {
      const plan = await def.plan(args, ctx);
      if (plan.failed || plan.skipped) return plan;
      const reported = { ...plan, result: await add(ctx.host, plan.result) };
      ownResults.set(reported, plan.result);
      return reported;
    },
    ...(apply ? { apply: async (args: A, ctx: ApplyContext, plan: Plan<P>) => {
      const r = await apply(args, ctx, ownResults.has(plan) ? { ...plan, result: ownResults.get(plan) } : plan);
      return r.failed ? r : { ...r, result: await add(ctx.host, r.result) };
    } } : {}),
    ...(direct ? { direct: async (args: A, ctx: ApplyContext) => {
      const r = await direct(args, ctx);
      return r === undefined || r.failed ? r : { ...r, result: await add(ctx.host, r.result) };
    } } : {}),
  };
}
