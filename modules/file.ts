import { defineModule, ModuleError, reads, shellJoin } from '../lib/module/kit.js';
import { attrChanges, attrProperties, octal, parseMode, type Attrs } from '../lib/module/files/put-file.js';

interface Args extends Attrs {
  path: string;
  state?: 'file' | 'directory' | 'absent' | 'touch' | 'link';
  src?: string;
}

interface State {
  commands: string[];
}

export default defineModule<Args, State>({
  name: 'file',
  description:
    "Ansible's file module: a directory (created with its parents), a path removed (recursively), a symlink, a file touched, or an existing file's owner, group and mode.",
  examples: ["- file:\n    path: /etc/origin/node/pods-stopped\n    state: directory\n    mode: '0755'", '- file:\n    path: /etc/systemd/system/etcd.service.d/temp.conf\n    state: absent'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The path on the host (dest and name are not accepted: use path).' },
      state: { enum: ['file', 'directory', 'absent', 'touch', 'link'], description: 'Default: file when the path exists (attributes only).' },
      src: { type: 'string', minLength: 1, description: "state: link: the link's target." },
      ...attrProperties,
    },
  },
  reads: (args) => [reads.stat(args.path)],
  async plan(args, ctx) {
    parseMode(args.mode);
    const st = await ctx.host.stat(args.path);
    const state = args.state ?? (st ? (st.isDirectory ? 'directory' : 'file') : 'file');
    if (state !== 'link' && args.src !== undefined) throw new ModuleError('src is only for state: link');
    const cmds: string[][] = [];
    const result = { path: args.path, state };
    const attrsOf = async () => {
      // The path after this task: attributes of what is there, or of what will be made.
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
        if (st) cmds.push(['rm', '-rf', '--', args.path]);
        return done(cmds, { ...result, state: st ? 'absent' : 'absent' }, st ? 'directory/file present' : '', st ? 'absent' : '');
      case 'directory': {
        if (st && !st.isDirectory) throw new ModuleError(`${args.path} exists and is not a directory`);
        if (st) {
          cmds.push(...(await attrsOf()));
          return done(cmds, result, '', '');
        }
        // As Ansible does, every directory created on the way gets the mode, owner and group.
        const chain: string[] = [];
        for (let p = args.path.replace(/\/+$/, ''); p && p !== '/' && p !== '.'; p = p.slice(0, Math.max(p.lastIndexOf('/'), 0))) chain.unshift(p);
        const stats = await ctx.host.getAll(chain.map((p) => reads.stat(p)));
        const m = parseMode(args.mode);
        chain.forEach((p, i) => {
          if (stats[i]) return;
          // -p: another process (a second task on a shared file system) may have made it since it was read.
          cmds.push(['mkdir', '-p', '--', p]);
          if (m !== undefined) cmds.push(['chmod', octal(m), '--', p]);
          if (args.owner) cmds.push(['chown', args.owner, '--', p]);
          if (args.group) cmds.push(['chgrp', args.group, '--', p]);
        });
        return done(cmds, result, 'absent', 'directory');
      }
      case 'file':
        if (!st) throw new ModuleError(`file (${args.path}) is absent, cannot continue`);
        cmds.push(...(await attrsOf()));
        return done(cmds, result, '', '');
      case 'touch':
        // As in Ansible, touch changes the times every run.
        cmds.push(['touch', '--', args.path], ...(await attrsOf()));
        return done(cmds, result, st ? '' : 'absent', st ? '' : 'touch');
      case 'link': {
        if (!args.src) throw new ModuleError('state: link needs src');
        const target = st?.isSymlink ? (await ctx.host.run(['readlink', '--', args.path])).stdout.replace(/\n$/, '') : undefined;
        if (st && !st.isSymlink) throw new ModuleError(`${args.path} exists and is not a symlink`);
        if (target !== args.src) cmds.push(['ln', '-sfn', '--', args.src, args.path]);
        return done(cmds, { ...result, src: args.src }, target ?? 'absent', args.src);
      }
    }
  },
  async apply(_args, ctx, plan) {
    for (const c of plan.state!.commands) await ctx.host.run(c);
    return { changed: true, result: plan.result };
  },
});

function done(cmds: string[][], result: Record<string, unknown>, before: string, after: string) {
  const changed = cmds.length > 0;
  return {
    changed,
    // The change is described, not written as file content: no path for the engine to hold apply() to.
    ...(changed ? { diff: [{ label: String(result.path), before: before ? `state: ${before}\n` : '', after: cmds.map((c) => shellJoin(c)).join('\n') + '\n' }] } : {}),
    result,
    state: { commands: cmds.map((c) => shellJoin(c)) },
  };
}
