// Putting a whole file on the host (copy, template): compare bytes and
// attributes with what is there, predict the diff, then one atomic write (or
// only chmod/chown when the bytes already match).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseStatOutput, statCommand } from '../../connection/stat-command.js';
import { searchControllerPath } from '../../template/lookups/find-file.js';
import { FileError, fileDiff, ModuleError, reads, shellJoin, shellQuote, type ApplyContext, type ApplyResult, type Plan, type PlanContext, type WriteResult } from '../kit.js';
import { parsePathInfo, pathInfoRead, withPathInfo } from './path-info.js';

export interface Attrs {
  mode?: string | number;
  owner?: string;
  group?: string;
}

export interface PutArgs extends Attrs {
  dest: string;
  backup?: boolean;
  validate?: string;
  force?: boolean;
  /** A symlink at dest: write its target (true) or replace the link with the file (false, Ansible's default). */
  follow?: boolean;
}

export interface PutState {
  dest: string;
  content: Buffer | null; // null: only attributes change
  attrs: string[]; // chmod/chown words to run when only attributes change
}

export const attrProperties = {
  mode: { type: ['string', 'integer'], description: "Permission bits: '0644' (a string, as Ansible recommends) or a YAML octal number (0644)." },
  owner: { type: 'string', minLength: 1, description: 'User name or uid owning the file.' },
  group: { type: 'string', minLength: 1, description: 'Group name or gid.' },
} as const;

/** Ansible's `follow` for modules that put a whole file (copy, template). */
export const followProperty = {
  follow: {
    type: 'boolean',
    default: false,
    description: "A symlink at dest: true writes the file it points to (the link stays); false, Ansible's default, replaces the link with the file and leaves its target alone.",
  },
} as const;

/** What plan() reads: the file (through a final symlink), the path itself (not through it), and its attributes for a result that changes nothing. */
export function putReads(dest: string) {
  return [reads.file(dest), reads.stat(dest), pathInfoRead(dest)];
}

/**
 * True when the write will put a new file in place of what is at `dest`
 * rather than replace a regular file's content: a symlink that is not
 * followed (or whose target is missing), a FIFO, a device. The write script
 * decides the same way on the host.
 */
export async function replacesNonFile(ctx: PlanContext, dest: string, follow: boolean | undefined, followedExists: boolean): Promise<boolean> {
  const st = await ctx.host.stat(dest);
  if (st === null || st.isFile || st.isDirectory) return false;
  return !(st.isSymlink && follow && followedExists);
}

/** Octal permission bits from Ansible's forms; symbolic modes (u+x) are refused rather than guessed. */
export function parseMode(mode: string | number | undefined): number | undefined {
  if (mode === undefined) return undefined;
  if (typeof mode === 'number') return mode;
  if (/^0?[0-7]{3,4}$/.test(mode)) return parseInt(mode, 8);
  throw new ModuleError(`mode ${JSON.stringify(mode)} is not supported: give octal permission bits such as '0644'`);
}

export const octal = (m: number) => '0' + m.toString(8).padStart(3, '0');

/** uid and gid for names (numbers stay numbers), in one read. */
export async function ids(ctx: PlanContext, a: Attrs): Promise<{ uid?: number; gid?: number }> {
  const parts: string[] = [];
  if (a.owner !== undefined) parts.push(/^\d+$/.test(a.owner) ? `echo ${a.owner}` : `id -u -- ${shellQuote(a.owner)}`);
  if (a.group !== undefined) parts.push(/^\d+$/.test(a.group) ? `echo ${a.group}` : `getent group ${shellQuote(a.group)} | cut -d: -f3`);
  if (!parts.length) return {};
  const r = await ctx.host.get(reads.command(parts.map((p) => `{ ${p}; } || echo x`).join('; ')));
  const [u, g] = r.stdout.trim().split('\n');
  const num = (s: string | undefined, what: string, name: string) => {
    if (!s || !/^\d+$/.test(s.trim())) throw new ModuleError(`${what} '${name}' does not exist on the host`);
    return Number(s);
  };
  return {
    ...(a.owner !== undefined ? { uid: num(u, 'user', a.owner) } : {}),
    ...(a.group !== undefined ? { gid: num(a.owner !== undefined ? g : u, 'group', a.group) } : {}),
  };
}

/** The stat of what the symlink at `path` points to, or null when it points nowhere. */
export async function followedStat(ctx: PlanContext, path: string): Promise<ReturnType<typeof parseStatOutput> | null> {
  const r = await ctx.host.get(reads.command(`${statCommand(path, true)} 2>/dev/null`));
  return r.rc === 0 && r.stdout.trim() ? parseStatOutput(r.stdout) : null;
}

/** The chmod/chown words needed to give an existing path these attributes (empty when it has them). */
export async function attrChanges(ctx: PlanContext, path: string, stat: { mode: number; uid: number; gid: number }, a: Attrs): Promise<string[][]> {
  const out: string[][] = [];
  const mode = parseMode(a.mode);
  if (mode !== undefined && (stat.mode & 0o7777) !== mode) out.push(['chmod', octal(mode), '--', path]);
  const { uid, gid } = await ids(ctx, a);
  if (uid !== undefined && stat.uid !== uid) out.push(['chown', a.owner!, '--', path]);
  if (gid !== undefined && stat.gid !== gid) out.push(['chgrp', a.group!, '--', path]);
  return out;
}

/**
 * A controller file named by `src`: absolute, or (in a role) under the role's
 * `sub` folder (files/, templates/) or the role's folder, then under the
 * playbook's `sub` folder or beside the playbook, as Ansible searches.
 */
export function controllerFile(src: string, vars: Readonly<Record<string, unknown>>, sub: string): string {
  if (isAbsolute(src)) return src; // as given: reading it names what is wrong
  const dir = typeof vars.playbook_dir === 'string' ? vars.playbook_dir : process.cwd();
  const dirs = [...(typeof vars.role_path === 'string' ? [vars.role_path] : []), dir];
  const found = searchControllerPath(src, sub, dirs, existsSync);
  if (found !== undefined) return found;
  throw new ModuleError(`could not find '${src}' in ${dirs.map((d) => `${join(d, sub)} or ${d}`).join(', ')}`);
}

export function readController(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ModuleError(`cannot read ${path} on the controller: ${(e as Error).message}`);
  }
}

export const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/**
 * The result as Ansible's copy action gives it: a file left as it was (or
 * only chmod/chown'ed) is the file module's answer, which names it `path`
 * too; a file written is the copy module's, with the md5sum of its bytes.
 * Either way with the file's attributes as they are now.
 */
/**
 * The result with the path attributes of dest: as the write printed them
 * when it reports them for dest itself (no round trip more), else read.
 */
async function putResult(host: Parameters<typeof withPathInfo>[0], base: Record<string, unknown>, written: Buffer | null, w?: WriteResult): Promise<Record<string, unknown>> {
  const result = written ? { md5sum: md5(written), ...base } : { ...base, path: base.dest };
  const info = w?.pathInfo !== undefined && w.path === base.dest ? parsePathInfo(w.pathInfo) : undefined;
  return info ? { ...result, ...info } : withPathInfo(host, result);
}

/**
 * `intoDirectory`: the file's own name (the source's), used as Ansible's copy
 * and template do when dest is a directory: the file goes inside it.
 */
export async function planPut(args: PutArgs, ctx: PlanContext, content: Buffer, result: Record<string, unknown> = {}, intoDirectory?: string): Promise<Plan<PutState>> {
  parseMode(args.mode);
  const file = await ctx.host.read(args.dest);
  if (file.exists && file.stat.isDirectory) {
    if (intoDirectory) return planPut({ ...args, dest: join(args.dest, intoDirectory) }, ctx, content, result);
    throw new ModuleError(`${args.dest} is a directory: give the file's full path as dest`);
  }
  const base = { dest: args.dest, checksum: sha1(content), size: content.length, ...result };
  // A file to write: apply() reports it once written. Under --check, Ansible's copy action says only that it changes.
  const written = ctx.check ? {} : base;
  if (file.exists && args.force === false) return { changed: false, result: { ...base, msg: 'file already exists' }, state: { dest: args.dest, content: null, attrs: [] } };
  if (await replacesNonFile(ctx, args.dest, args.follow, file.exists)) {
    // The link (or FIFO, or device) gives way to a file: nothing of it is kept or read.
    return { changed: true, diff: [fileDiff(args.dest, '', content.toString('utf8'))], result: written, state: { dest: args.dest, content, attrs: [] } };
  }
  const same = file.exists && file.content !== null && file.content.equals(content);
  if (same) {
    const attrs = await attrChanges(ctx, args.dest, file.stat, args);
    if (!attrs.length) return { changed: false, result: await putResult(ctx.host, base, null), state: { dest: args.dest, content: null, attrs: [] } };
    return {
      changed: true,
      // Not a content change: no path, the engine expects no write.
      diff: [{ label: `${args.dest} (attributes)`, before: '', after: attrs.map((a) => a.slice(0, 2).join(' ')).join('\n') + '\n' }],
      // In check mode, the attributes the file has now (Ansible's file module in check mode).
      result: await putResult(ctx.host, base, null),
      state: { dest: args.dest, content: null, attrs: attrs.map((a) => shellJoin(a)) },
    };
  }
  return {
    changed: true,
    diff: [fileDiff(args.dest, file.text ?? '', content.toString('utf8'))],
    result: written,
    state: { dest: args.dest, content, attrs: [] },
  };
}

export async function applyPut(args: PutArgs, ctx: ApplyContext, plan: Plan<PutState>): Promise<Record<string, unknown>> {
  const s = plan.state!;
  if (s.content === null) {
    for (const line of s.attrs) await ctx.host.run(line);
    return putResult(ctx.host, { ...plan.result }, null);
  }
  try {
    const mode = parseMode(args.mode);
    const w = await ctx.host.write(s.dest, s.content, { follow: args.follow ?? false, backup: args.backup, validate: args.validate, pathInfoAfter: true, ...(mode !== undefined ? { mode } : {}), ...(args.owner ? { owner: args.owner } : {}), ...(args.group ? { group: args.group } : {}) });
    return putResult(ctx.host, { ...plan.result, ...(w.backup ? { backup_file: w.backup } : {}) }, s.content, w);
  } catch (e) {
    if (e instanceof FileError) throw new ModuleError(e.message);
    throw e;
  }
}

/** Above this size a file is compared by reading the host's copy first, not sent whole on every run. */
const DIRECT_MAX_BYTES = 64 * 1024;

/**
 * planPut and applyPut in one round trip (a module's direct()): the bytes go
 * with the write, which leaves a file already holding them alone and sets
 * only a mode that differs. Undefined for what it does not cover: force:
 * false, owner or group, a file over 64 KiB.
 */
export async function directPut(args: PutArgs, ctx: ApplyContext, content: Buffer, result: Record<string, unknown> = {}, intoDirectory?: string): Promise<ApplyResult | undefined> {
  if (args.force === false || args.owner !== undefined || args.group !== undefined || content.length > DIRECT_MAX_BYTES) return undefined;
  const mode = parseMode(args.mode);
  try {
    const w = await ctx.host.write(args.dest, content, { follow: args.follow ?? false, unlessSame: true, backup: args.backup, validate: args.validate, pathInfoAfter: true, ...(mode !== undefined ? { mode } : {}) });
    const base = { dest: args.dest, checksum: sha1(content), size: content.length, ...result };
    // The attributes after the write, as Ansible's module stats the file it leaves: printed by the write itself.
    return { changed: !w.same || !!w.attrsChanged, result: await putResult(ctx.host, { ...base, ...(w.backup ? { backup_file: w.backup } : {}) }, w.same ? null : content, w) };
  } catch (e) {
    // Nothing was written: a directory at dest takes the plan's way, which puts the file inside it.
    if (e instanceof FileError && e.code === 'EISDIR' && intoDirectory) return undefined;
    if (e instanceof FileError) throw new ModuleError(e.code === 'EISDIR' ? `${args.dest} is a directory: give the file's full path as dest` : e.message);
    throw e;
  }
}
