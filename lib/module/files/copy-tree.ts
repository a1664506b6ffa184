// copy of a controller directory, as Ansible's copy does it: `src` ending in
// `/` copies what the directory holds into dest, without it the directory
// itself (dest/<name>). Every file is compared with what the host has and
// only the files that differ are written, each atomically; directories are
// made as needed. All the host's copies are read in one round trip.

import { readdirSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { fileDiff, ModuleError, reads, shellJoin, type ApplyContext, type Plan, type PlanContext, type Read } from '../kit.js';
import { attrChanges, parseMode, readController, type PutArgs } from './put-file.js';

export interface TreeState {
  dirs: string[];
  files: Array<{ path: string; content: Buffer }>;
  attrs: string[];
}

/** Files and directories under a controller directory (symlinks followed, as Ansible's local_follow), relative, in a stable order. */
function walk(root: string, rel = ''): { files: string[]; dirs: string[] } {
  const out = { files: [] as string[], dirs: [] as string[] };
  for (const name of readdirSync(join(root, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    let st;
    try {
      st = statSync(join(root, r));
    } catch {
      continue; // a dangling link: nothing to copy
    }
    if (st.isDirectory()) {
      out.dirs.push(r);
      const sub = walk(root, r);
      out.files.push(...sub.files);
      out.dirs.push(...sub.dirs);
    } else if (st.isFile()) out.files.push(r);
  }
  return out;
}

export function isControllerDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Where the tree goes on the host: dest itself for `src/`, dest/<name> for `src`. */
function base(src: string, dest: string): string {
  return src.endsWith('/') ? dest : posix.join(dest, basename(src.replace(/\/+$/, '')));
}

function layout(srcDir: string, src: string, dest: string) {
  const { files, dirs } = walk(srcDir);
  const top = base(src, dest);
  return { top, files: files.map((f) => ({ rel: f, path: posix.join(top, f) })), dirs: ['', ...dirs].map((d) => (d ? posix.join(top, d) : top)) };
}

/** One read per file and directory on the host: served by the batch before plan(). */
export function treeReads(srcDir: string, src: string, dest: string): Read<unknown>[] {
  const l = layout(srcDir, src, dest);
  return [...l.dirs.map((d) => reads.stat(d)), ...l.files.map((f) => reads.file(f.path))];
}

export async function planTree(args: PutArgs & { src: string }, ctx: PlanContext, srcDir: string): Promise<Plan<TreeState>> {
  parseMode(args.mode);
  const l = layout(srcDir, args.src, args.dest);
  const state: TreeState = { dirs: [], files: [], attrs: [] };
  const diff: NonNullable<Plan['diff']> = [];
  for (const d of l.dirs) {
    const st = await ctx.host.stat(d);
    if (st && !st.isDirectory) throw new ModuleError(`${d} exists and is not a directory: the tree cannot be copied into it`);
    if (!st) {
      state.dirs.push(d);
      diff.push({ label: `${d}/ (directory)`, before: '', after: 'directory\n' });
    }
  }
  for (const f of l.files) {
    const content = readController(join(srcDir, f.rel));
    const file = await ctx.host.read(f.path);
    if (file.exists && file.stat.isDirectory) throw new ModuleError(`${f.path} is a directory on the host, and a file in ${srcDir}`);
    if (file.exists && args.force === false) continue;
    if (file.exists && file.content !== null && file.content.equals(content) && !file.stat.isSymlink) {
      state.attrs.push(...(await attrChanges(ctx, f.path, file.stat, args)).map((a) => shellJoin(a)));
      continue;
    }
    state.files.push({ path: f.path, content });
    diff.push(fileDiff(f.path, file.exists ? (file.text ?? '') : '', content.toString('utf8')));
  }
  if (state.attrs.length) diff.push({ label: `${l.top} (attributes)`, before: '', after: state.attrs.join('\n') + '\n' });
  const changed = state.dirs.length + state.files.length + state.attrs.length > 0;
  return { changed, diff, result: { dest: args.dest.endsWith('/') ? args.dest : `${args.dest}/`, src: srcDir }, state };
}

export async function applyTree(args: PutArgs, ctx: ApplyContext, plan: Plan<TreeState>): Promise<Record<string, unknown>> {
  const s = plan.state!;
  if (s.dirs.length) await ctx.host.run(['mkdir', '-p', '--', ...s.dirs]);
  const mode = parseMode(args.mode);
  for (const f of s.files) {
    await ctx.host.write(f.path, f.content, { backup: args.backup, ...(mode !== undefined ? { mode } : {}), ...(args.owner ? { owner: args.owner } : {}), ...(args.group ? { group: args.group } : {}) });
  }
  for (const line of s.attrs) await ctx.host.run(line);
  return { ...plan.result };
}
