import { defineModule, shellJoin, shellQuote } from '../lib/module/kit.js';
import { outputKeys, parseGroup, readAccounts, SBIN_PATH } from '../lib/module/system/accounts.js';

interface Args {
  name: string;
  state: 'present' | 'absent';
  gid?: number;
  system: boolean;
  non_unique: boolean;
}

const MARK = '@@tsplay-group-entry ';

export default defineModule<Args, string>({
  name: 'group',
  description:
    "Ansible's group: makes sure a local group exists (with the given gid; `system` for a new system group) or does not (`state: absent`). Runs groupadd, groupmod and groupdel as Ansible does, and only when something differs; the result holds `gid` and `system`.",
  examples: ['- group:\n    name: docker\n    gid: 990\n    system: true', '- group:\n    name: oldteam\n    state: absent'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, pattern: '^[^:,\\s]+$', description: 'The group name.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the group exists (groupadd, or groupmod for a different gid); absent: it does not (groupdel).' },
      gid: { type: 'integer', minimum: 0, description: 'Its gid; an existing group with another gid is changed (groupmod -g).' },
      system: { type: 'boolean', default: false, description: 'Create a system group (groupadd -r); an existing group is left as it is.' },
      non_unique: { type: 'boolean', default: false, description: 'Allow a gid another group has (-o); needs gid.' },
    },
  },
  reads: (args) => [readAccounts(args.name, '')],
  async plan(args, ctx) {
    if (args.non_unique && args.gid === undefined) return { changed: false, failed: 'non_unique is True but all of the following are missing: gid' };
    const acc = await ctx.host.get(readAccounts(args.name, ''));
    const g = acc.groups.find((x) => x.name === args.name);
    const base = { name: args.name, state: args.state };
    if (args.state === 'absent') {
      if (!g) return { changed: false, result: base };
      return { changed: true, result: {}, state: shellJoin(['groupdel', args.name]) };
    }
    const gidArgs = args.gid !== undefined ? ['-g', String(args.gid), ...(args.non_unique ? ['-o'] : [])] : [];
    if (!g) return { changed: true, result: {}, state: shellJoin(['groupadd', ...gidArgs, ...(args.system ? ['-r'] : []), args.name]) };
    const now = { ...base, system: args.system, gid: g.gid };
    if (args.gid === undefined || args.gid === g.gid) return { changed: false, result: now };
    return { changed: true, result: now, state: shellJoin(['groupmod', ...gidArgs, args.name]) };
  },
  async apply(args, ctx, plan) {
    const r = await ctx.host.run(`${SBIN_PATH}\n${plan.state!}\nrc=$?\nprintf '%s%s\\n' ${shellQuote(MARK)} "$rc"\ngetent group ${shellQuote(args.name)}\nexit 0`, { allowFailure: true });
    const at = r.stdout.lastIndexOf(MARK);
    const tail = at >= 0 ? r.stdout.slice(at + MARK.length).split('\n') : [];
    const rc = at >= 0 ? Number(tail[0]) : r.rc;
    const out = { stdout: at >= 0 ? r.stdout.slice(0, at) : r.stdout, stderr: r.stderr };
    if (rc !== 0) return { changed: false, failed: out.stderr.trim() || `the change of group ${args.name} failed (rc ${rc})`, result: { name: args.name } };
    const g = parseGroup(tail[1] ?? '');
    return { changed: true, result: { name: args.name, state: args.state, ...outputKeys(out), ...(g ? { system: args.system, gid: g.gid } : {}) } };
  },
});
