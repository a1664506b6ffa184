import { defineModule, ModuleError, reads, shellJoin } from '../lib/module/kit.js';
import { parsePathInfo, pathInfoEcho, pathInfoOutput, reportingPathInfo } from '../lib/module/files/path-info.js';
import { attrChanges, attrProperties, followedStat, octal, parseMode, type Attrs } from '../lib/module/files/put-file.js';
import { timeCommands, timePlan, timeProperties, timesDiffer, type TimeArgs } from '../lib/module/files/file-times.js';

interface Args extends Attrs, TimeArgs {
  path: string;
  state?: 'file' | 'directory' | 'absent' | 'touch' | 'link';
  src?: string;
  follow?: boolean;
  force?: boolean;
}

interface State {
  commands: string[];
}

export default reportingPathInfo(defineModule<Args, State>({
  name: 'file',
  description:
    "Ansible's file module: a directory (created with its parents), a path removed (recursively), a symlink, a file touched, or an existing file's owner, group and mode.",
  examples: ["- file:\n    path: /etc/origin/node/pods-stopped\n    state: directory\n    mode: '0755'", '- file:\n    path: /etc/systemd/system/etcd.service.d/temp.conf\n    state: absent'],
  aliases: { dest: 'path', name: 'path' },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The path on the host.' },
      state: { enum: ['file', 'directory', 'absent', 'touch', 'link'], description: 'Default: file when the path exists (attributes only).' },
      src: { type: 'string', minLength: 1, description: "state: link: the link's target." },
      follow: {
        type: 'boolean',
        default: true,
        description: "A symlink at path (state file or touch): true, Ansible's default for this module, gives the file it points to the attributes; false gives them to the link itself (owner and group; a link has no mode of its own, so mode is an error).",
      },
      force: {
        type: 'boolean',
        default: false,
        description: 'state: link: replace a file that is at path by the link (Ansible refuses without it); a directory is never replaced.',
      },
      ...attrProperties,
      ...timeProperties,
    },
  },
  // A link's target comes with the stat, in the task's one read.
  reads: (args) => (args.state === 'link' ? [reads.stat(args.path), linkTarget(args.path)] : [reads.stat(args.path)]),
  async plan(args, ctx) {
    parseMode(args.mode);
    const st = await ctx.host.stat(args.path);
    const state = args.state ?? (st ? (st.isDirectory ? 'directory' : 'file') : 'file');
    if (state !== 'link' && args.src !== undefined) throw new ModuleError('src is only for state: link');
    // Shell lines, run together by apply().
    const cmds: string[] = [];
    const result = { path: args.path, state };
    const follow = args.follow !== false;
    // Read first: a time that does not match its format fails the task before anything is looked at, as in Ansible.
    const times = timePlan(args, state);
    // The times of the path as it is: set after the other changes, when they differ.
    const existingTimes = async () => (st && (await timesDiffer(ctx, args.path, times)) ? timeCommands(args.path, times) : []);
    const attrsOf = async () => {
      // The path after this task: attributes of what is there, or of what will be made.
      if (st?.isSymlink && (state === 'file' || state === 'touch')) {
        if (follow) {
          // chmod and chown act on the link's target: compare with the target, or every run would change.
          const target = await followedStat(ctx, args.path);
          if (target) return attrChanges(ctx, args.path, target, args);
          if (state === 'file') throw new ModuleError(`${args.path} is a symlink to nothing: its target's attributes cannot be set (follow: false sets the link's own owner and group)`);
        } else {
          if (args.mode !== undefined) throw new ModuleError(`${args.path} is a symlink and follow is false: a symlink has no mode of its own to set (drop mode, or follow: true for its target's)`);
          // -h: the link itself, never what it points to.
          return (await attrChanges(ctx, args.path, st, args)).map((c) => [c[0]!, '-h', ...c.slice(1)]);
        }
      }
      if (st) return attrChanges(ctx, args.path, st, args);
      const m = parseMode(args.mode);
      return [
        ...(m !== undefined ? [['chmod', octal(m), '--', args.path]] : []),
        ...(args.owner ? [['chown', args.owner, '--', args.path]] : []),
        ...(args.group ? [['chgrp', args.group, '--', args.path]] : []),
      ];
    };
    switch (state) {
      case 'absent':
        if (st) cmds.push(shellJoin(['rm', '-rf', '--', args.path]));
        return done(cmds, { ...result, state: 'absent' }, st ? 'directory/file present' : '', st ? 'absent' : '');
      case 'directory': {
        if (st && !st.isDirectory) throw new ModuleError(`${args.path} exists and is not a directory`);
        if (st) {
          cmds.push(...(await attrsOf()).map((c) => shellJoin(c)), ...(await existingTimes()));
          return done(cmds, result, '', '');
        }
        cmds.push(makeChain(args), ...timeCommands(args.path, times));
        const m = parseMode(args.mode);
        const after = ['state: directory', ...(m !== undefined ? [`mode: '${octal(m)}'`] : []), ...(args.owner ? [`owner: ${args.owner}`] : []), ...(args.group ? [`group: ${args.group}`] : [])];
        return done(cmds, result, 'absent', 'directory', after.join('\n'));
      }
      case 'file':
        if (!st) throw new ModuleError(`file (${args.path}) is absent, cannot continue`);
        cmds.push(...(await attrsOf()).map((c) => shellJoin(c)), ...(await existingTimes()));
        return done(cmds, result, '', '');
      case 'touch':
        if (times.bothNow) {
          // As in Ansible, touch changes the times every run unless told to preserve them.
          cmds.push(shellJoin(['touch', ...(follow ? [] : ['-h']), '--', args.path]), ...(await attrsOf()).map((c) => shellJoin(c)));
        } else if (!st) {
          // Made empty, then given the times asked for.
          cmds.push(shellJoin(['touch', '--', args.path]), ...(await attrsOf()).map((c) => shellJoin(c)), ...timeCommands(args.path, times));
        } else {
          cmds.push(...(await attrsOf()).map((c) => shellJoin(c)), ...(await existingTimes()));
        }
        return done(cmds, result, st ? '' : 'absent', st ? '' : 'touch');
      case 'link': {
        if (!args.src) throw new ModuleError('state: link needs src');
        if (!times.untouched) throw new ModuleError('modification_time and access_time are not supported with state: link (set them on the link\'s target with state: file)');
        const target = st?.isSymlink ? await ctx.host.get(linkTarget(args.path)) : undefined;
        if (st && !st.isSymlink) {
          if (!args.force || st.isDirectory) throw new ModuleError(`${args.path} exists and is not a symlink${st.isDirectory ? '' : ' (force: true replaces it)'}`);
          cmds.push(shellJoin(['rm', '-f', '--', args.path]));
        }
        if (target !== args.src) cmds.push(shellJoin(['ln', '-sfn', '--', args.src, args.path]));
        return done(cmds, { ...result, src: args.src }, target ?? 'absent', args.src);
      }
    }
  },
  // A directory with at most a mode, in one round trip: test, make or chmod, and say which.
  async direct(args, ctx) {
    if (args.state !== 'directory' || args.src !== undefined || args.owner !== undefined || args.group !== undefined) return undefined;
    if (!timePlan(args, 'directory').untouched) return undefined;
    const m = parseMode(args.mode);
    const q = shellJoin([args.path]);
    const chmod = m !== undefined ? `if [ "$(stat -c %a -- ${q})" != ${m.toString(8)} ]; then chmod ${octal(m)} -- ${q} || exit 1; echo changed; fi` : ':';
    const script = [
      `if [ -L ${q} ]; then exit 20`,
      `elif [ -d ${q} ]; then ${chmod}`,
      `elif [ -e ${q} ]; then exit 20`,
      `else`,
      makeChain(args),
      'echo changed',
      'fi',
      // The directory as the script leaves it, for the result: no read more.
      pathInfoEcho(q),
    ].join('\n');
    const r = await ctx.host.run(script, { allowFailure: true });
    if (r.rc === 20) throw new ModuleError(`${args.path} exists and is not a directory`);
    if (r.rc !== 0) throw new ModuleError(`${args.path}: ${r.stderr.trim() || `exit code ${r.rc}`}`, { result: { rc: r.rc, stderr: r.stderr, stdout: r.stdout } });
    const out = pathInfoOutput(r.stdout);
    const info = out !== undefined ? parsePathInfo(out) : null;
    return { changed: /^changed$/m.test(r.stdout), result: { path: args.path, state: 'directory', ...(info ?? {}) } };
  },
  async apply(_args, ctx, plan) {
    // One round trip for the whole change; the first command that fails stops it.
    const r = await ctx.host.run(['set -e', ...plan.state!.commands].join('\n'), { allowFailure: true });
    if (r.rc !== 0) throw new ModuleError(`${plan.result?.path}: ${r.stderr.trim() || `exit code ${r.rc}`}`, { result: { rc: r.rc, stderr: r.stderr, stdout: r.stdout } });
    return { changed: true, result: plan.result };
  },
}), (args) => args.path);

/**
 * The shell lines that make a directory and its missing parents. As Ansible
 * does, every directory created on the way gets the mode, owner and group.
 * Which of them exist is left to the host, so the chain costs one round trip,
 * and the shell's own test for each level starts no program for a directory
 * already there.
 */
function makeChain(args: Args): string {
  const chain: string[] = [];
  for (let p = args.path.replace(/\/+$/, ''); p && p !== '/' && p !== '.'; p = p.slice(0, Math.max(p.lastIndexOf('/'), 0))) chain.unshift(p);
  const m = parseMode(args.mode);
  return chain
    .map((p) => {
      const q = shellJoin([p]);
      const attrs = [...(args.owner ? [shellJoin(['chown', args.owner, '--', p])] : []), ...(args.group ? [shellJoin(['chgrp', args.group, '--', p])] : [])];
      const mkdir = shellJoin(m !== undefined ? ['mkdir', '-m', octal(m), '--', p] : ['mkdir', '--', p]);
      // Made by another process since the test (a second task on a shared file system): left as it is.
      return `if [ ! -d ${q} ]; then if ${mkdir}; then ${attrs.length ? `${attrs.join(' && ')} || exit 1` : ':'}; elif [ ! -d ${q} ]; then exit 1; fi; fi`;
    })
    .join('\n');
}

function done(commands: string[], result: Record<string, unknown>, before: string, after: string, described?: string) {
  const changed = commands.length > 0;
  return {
    changed,
    // The change is described, not written as file content: no path for the engine to hold apply() to.
    ...(changed ? { diff: [{ label: String(result.path), before: before ? `state: ${before}\n` : '', after: (described ?? commands.join('\n')) + '\n' }] } : {}),
    result,
    state: { commands },
  };
}

/** What the symlink at `path` points to, as readlink prints it (read with the path's stat). */
function linkTarget(path: string) {
  return reads.command(shellJoin(['readlink', '--', path]), (r) => r.stdout.replace(/\n$/, ''));
}
