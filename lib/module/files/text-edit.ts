// The common shape of the modules that edit one text file on the host with a
// pure editor from lib/formats: plan() reads the file (declared in reads(), so
// it comes in the task's one batched round trip), runs the editor and returns
// the new text with its diff; apply() writes it atomically, keeping owner and
// mode, with Ansible's `backup` and `validate`. Ansible's own editors
// (lineinfile, blockinfile, replace) also take `mode`, `owner` and `group`.

import { dirname } from 'node:path';
import { FileError, fileDiff, ModuleError, reads, type ApplyContext, type Plan, type PlanContext, type Read } from '../kit.js';
import { attrChanges, attrProperties, ids, octal, parseMode, type Attrs } from './put-file.js';

export interface EditArgs extends Attrs {
  path: string;
  backup?: boolean;
  validate?: string;
  create?: boolean;
}

export interface EditState {
  path: string;
  after: string;
  existed: boolean;
  /** False when only the attributes change: apply() then runs `attrs` and writes nothing. */
  contentChanged: boolean;
  /** chmod/chown/chgrp of the existing file. */
  attrs: string[][];
  /**
   * mode, owner or group are not what the file has (or, for a file the run
   * creates, what the host would give it): Ansible's editors then add
   * "ownership, perms or SE linux context changed" to their message.
   */
  attrsChanged: boolean;
}

/** The schema properties every editing module takes. */
export const editProperties = {
  backup: { type: 'boolean', default: false, description: 'Keep a copy of the old file beside it (`<path>.<pid>.<date>~`, as Ansible names it).' },
  validate: { type: 'string', pattern: '%s', description: 'A command run on the new file before it replaces the old one, with %s for its path; on failure the old file stays.' },
} as const;

/**
 * `validate` as Ansible's editors take it: any text, refused with their words
 * only when the file is about to be written (a task that changes nothing, or
 * runs in check mode, never looks at it).
 */
export const ansibleEditProperties = {
  ...editProperties,
  validate: { type: 'string', description: editProperties.validate.description },
  ...attrProperties,
} as const;

const hasAttrs = (a: Attrs) => a.mode !== undefined || a.owner !== undefined || a.group !== undefined;

/** What a file the run creates would get without mode, owner and group: the umask's mode and the writing user. */
const NEW_FILE_READ = reads.command('umask; id -u; id -g');

export function fileRead(args: { path: string } & Attrs & { create?: boolean }): Read<unknown>[] {
  // Read with the file in one round trip, and only when a created file's attributes are asked for.
  return args.create && hasAttrs(args) ? [reads.file(args.path), NEW_FILE_READ] : [reads.file(args.path)];
}

/** The attributes the file gets (before → after), as Ansible's diff of them shows: mode '0644', owner and group as ids. */
interface AttrChange {
  before: Record<string, string | number>;
  after: Record<string, string | number>;
}

/**
 * The attribute changes for `args` on the file as read (`stat`), or on a
 * file the write would create (the umask's mode, the writing user's ids).
 */
async function attributeChanges(args: EditArgs, ctx: PlanContext, stat: { mode: number; uid: number; gid: number } | null): Promise<{ commands: string[][]; change: AttrChange }> {
  const change: AttrChange = { before: {}, after: {} };
  if (!hasAttrs(args)) return { commands: [], change };
  let base = stat;
  if (!base) {
    const [umask, uid, gid] = (await ctx.host.get(NEW_FILE_READ)).stdout.trim().split('\n');
    base = { mode: 0o666 & ~parseInt(umask, 8), uid: Number(uid), gid: Number(gid) };
  }
  const commands = await attrChanges(ctx, args.path, base, args);
  const word = (w: string) => commands.some((c) => c[0] === w);
  if (word('chmod')) {
    change.before.mode = octal(base.mode & 0o7777);
    change.after.mode = octal(parseMode(args.mode)!);
  }
  // The ids attrChanges resolved, from the task's reads (no round trip more).
  const wanted = await ids(ctx, args);
  if (word('chown')) {
    change.before.owner = base.uid;
    change.after.owner = wanted.uid!;
  }
  if (word('chgrp')) {
    change.before.group = base.gid;
    change.after.group = wanted.gid!;
  }
  return { commands, change };
}

/** Ansible's editors' message once the attributes are set: "... and ownership, perms or SE linux context changed". */
export function withAttrsMessage(msg: string, state: EditState | undefined): string {
  if (!state?.attrsChanged) return msg;
  return `${msg ? `${msg} and ` : ''}ownership, perms or SE linux context changed`;
}

/**
 * The failures of Ansible's own editors (lineinfile, blockinfile, replace), in
 * their words and with their rc, which playbooks test: a directory at the
 * path (rc 256), a missing file (rc 257; `missing` is the noun Ansible's
 * message starts with), and the `diff` their result carries: `always`
 * lineinfile's and blockinfile's list (content and attributes; the texts only
 * in diff mode), `changed` replace's one dict, in diff mode and when changed.
 */
export interface AnsibleWords {
  missing: 'Path' | 'Destination';
  diff: 'always' | 'changed';
}

/** The `diff` an Ansible editor returns in its result (see AnsibleWords). */
function resultDiff(path: string, before: string, after: string, existed: boolean, changed: boolean, ctx: PlanContext, kind: AnsibleWords['diff'], attrs: AttrChange): Record<string, unknown> {
  if (kind === 'changed') return ctx.diff && changed && before !== after ? { diff: { before_header: path, before, after_header: path, after } } : {};
  const content = { before: ctx.diff ? before : '', after: ctx.diff ? after : '', before_header: `${path} (content)`, after_header: `${path} (content)` };
  // A file check mode would create: Ansible's editors return before writing attributes, with the content dict alone.
  if (ctx.check && !existed) return { diff: content };
  const changes = Object.keys(attrs.after).length ? { before: attrs.before, after: attrs.after } : {};
  return { diff: [content, { ...changes, before_header: `${path} (file attributes)`, after_header: `${path} (file attributes)` }] };
}

/**
 * Reads the file and applies `edit` to its text. A missing file is an error
 * unless `create` is set (the editor then starts from an empty text).
 */
export async function planEdit(
  args: EditArgs,
  ctx: PlanContext,
  edit: (text: string) => string,
  result: (after: string) => Record<string, unknown> = () => ({}),
  ansible?: AnsibleWords,
): Promise<Plan<EditState>> {
  const file = await ctx.host.read(args.path);
  if (ansible && file.exists && file.stat.isDirectory) throw new ModuleError(`Path ${args.path} is a directory !`, { result: { rc: 256 } });
  if (file.exists && file.text === null) throw new ModuleError(`${args.path} is not a regular file`);
  if (!file.exists && !args.create) {
    // Ansible's words exactly for its editors: playbooks compare them.
    if (ansible) throw new ModuleError(`${ansible.missing} ${args.path} does not exist !`, { result: { rc: 257 } });
    throw new ModuleError(`${args.path} does not exist (set create: true to start a new file)`);
  }
  const before = file.text ?? '';
  let after: string;
  try {
    after = edit(before);
  } catch (e) {
    if (e instanceof ModuleError) throw e;
    throw new ModuleError(`${args.path}: ${(e as Error).message}`);
  }
  const contentChanged = after !== before || !file.exists;
  // A file check mode would create: Ansible's editors stop before its attributes.
  const newInCheck = !file.exists && ctx.check;
  const { commands, change } = newInCheck ? { commands: [], change: { before: {}, after: {} } } : await attributeChanges(args, ctx, file.exists ? file.stat : null);
  const changed = contentChanged || commands.length > 0;
  return {
    changed,
    // Shown under the headers Ansible's lineinfile and blockinfile give it: `PATH (content)`.
    ...(contentChanged ? { diff: [ansible?.diff === 'always' ? { ...fileDiff(args.path, before, after), beforeLabel: `${args.path} (content)`, afterLabel: `${args.path} (content)` } : fileDiff(args.path, before, after)] } : {}),
    result: { path: args.path, ...result(after), ...(ansible ? resultDiff(args.path, before, after, file.exists, changed, ctx, ansible.diff, change) : {}) },
    state: { path: args.path, after, existed: file.exists, contentChanged, attrs: file.exists ? commands : [], attrsChanged: commands.length > 0 },
  };
}

/** Writes the planned text; the result carries `backup_file` as Ansible's modules do. */
export async function applyEdit(args: EditArgs, ctx: ApplyContext, plan: Plan<EditState>): Promise<Record<string, unknown>> {
  if (args.validate !== undefined && !args.validate.includes('%s')) throw new ModuleError(`validate must contain %s: ${args.validate}`);
  const state = plan.state!;
  try {
    if (!state.contentChanged) {
      // Only mode, owner or group differ: the file's bytes stay as they are.
      for (const line of state.attrs) await ctx.host.run(line);
      return { ...plan.result };
    }
    // A file to create gets its missing directories first, as Ansible's lineinfile and blockinfile make them (os.makedirs).
    if (!plan.state!.existed && args.create) {
      const dir = dirname(args.path);
      if (dir !== '.' && dir !== '/') {
        const r = await ctx.host.run(['mkdir', '-p', '--', dir], { allowFailure: true });
        if (r.rc !== 0) throw new ModuleError(`Error creating ${dir} (${(r.stderr || r.stdout).trim()})`, { result: { rc: r.rc } });
      }
    }
    // An editor changes the file a symlink points to, as Ansible's lineinfile, replace and
    // blockinfile do (os.path.realpath): plan() read it through the link too.
    // mode, owner and group go with the write: the new file is never readable by more than they allow.
    const mode = parseMode(args.mode);
    const w = await ctx.host.write(args.path, state.after, { follow: true, backup: args.backup, validate: args.validate, ...(mode !== undefined ? { mode } : {}), ...(args.owner !== undefined ? { owner: args.owner } : {}), ...(args.group !== undefined ? { group: args.group } : {}) });
    return { ...plan.result, ...(w.backup ? { backup_file: w.backup } : {}) };
  } catch (e) {
    if (e instanceof FileError) throw new ModuleError(e.message, { cause: e });
    throw e;
  }
}

/** Restarts or reloads a service after a change; the result says which. */
export async function touchService(ctx: ApplyContext, unit: string, how: 'restart' | 'reload' | 'none'): Promise<Record<string, unknown>> {
  if (how === 'none') return {};
  const r = await ctx.host.run(['systemctl', how, unit], { allowFailure: true });
  if (r.rc !== 0) throw new ModuleError(`the file changed, but 'systemctl ${how} ${unit}' failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`, { result: { rc: r.rc } });
  return { [how === 'restart' ? 'restarted' : 'reloaded']: unit };
}
