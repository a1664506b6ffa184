import { defineModule, ModuleError, reads, shellJoin } from '../lib/module/kit.js';

interface Args {
  name: string;
  state: 'enabled' | 'disabled' | 'stopped';
  pods_dir: string;
}

interface State {
  from: string;
  to: string;
}

/** Where each state keeps the manifest, as the 3.11 documents move them. */
function place(a: Args): Record<Args['state'], string> {
  const pods = a.pods_dir.replace(/\/+$/, '');
  const file = /\.ya?ml$/.test(a.name) ? a.name : `${a.name}.yaml`;
  return { enabled: `${pods}/${file}`, disabled: `${pods}/disabled/${file}`, stopped: `${pods}-stopped/${file}` };
}

export default defineModule<Args, State>({
  name: 'static_pod',
  description:
    "Moves a static pod manifest where the 3.11 documents move it: `enabled` in /etc/origin/node/pods, `disabled` in pods/disabled/ (a deprecated master's api and controllers), `stopped` in pods-stopped/ (etcd while it is forced into a new cluster). Idempotent: a manifest already in place is left alone; one found nowhere is an error.",
  examples: ['- static_pod:\n    name: controller\n    state: disabled', '- static_pod:\n    name: etcd\n    state: stopped'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'state'],
    properties: {
      name: { type: 'string', pattern: '^[^/]+$', description: 'The manifest: `etcd` means etcd.yaml.' },
      state: { enum: ['enabled', 'disabled', 'stopped'], description: 'enabled: the manifest is in pods_dir (the node runs the pod); disabled: moved aside; stopped: moved aside and the pod gone.' },
      pods_dir: { type: 'string', default: '/etc/origin/node/pods', description: 'The folder the node reads static pod manifests from.' },
    },
  },
  reads: (args) => Object.values(place(args)).map((p) => reads.stat(p)),
  async plan(args, ctx) {
    const p = place(args);
    const to = p[args.state];
    const found = (await ctx.host.getAll(Object.values(p).map((x) => reads.stat(x)))) as ({ isFile: boolean } | null)[];
    const where = Object.values(p).filter((_, i) => found[i]);
    if (where.includes(to)) {
      if (where.length > 1) ctx.warn(`${args.name} also has a manifest at ${where.filter((w) => w !== to).join(', ')}`);
      return { changed: false, result: { path: to, state: args.state } };
    }
    if (!where.length) throw new ModuleError(`no manifest for ${args.name} in ${Object.values(p).join(', ')}`);
    const from = where[0]!;
    return { changed: true, diff: [{ label: from, before: `${from}\n`, after: `${to}\n` }], result: { path: to, src: from, state: args.state }, state: { from, to } };
  },
  async apply(_args, ctx, plan) {
    const { from, to } = plan.state!;
    await ctx.host.run(`${shellJoin(['mkdir', '-p', '--', to.slice(0, to.lastIndexOf('/'))])} && ${shellJoin(['mv', '-n', '--', from, to])}`);
    return { changed: true, result: plan.result };
  },
});
