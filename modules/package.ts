import { defineModule, ModuleError, reads } from '../lib/module/kit.js';
import { aptApply, aptPlan, aptProperties, aptRead, foldAptAliases, type AptArgs, type AptWork } from '../lib/module/packages/apt-plan.js';

interface Args extends AptArgs {
  use: string;
}

// Which manager the host has, in the order Ansible's pkg_mgr fact finds them on Linux.
const managerRead = reads.command('for m in dnf yum apt-get; do if command -v "$m" >/dev/null 2>&1; then echo "$m"; break; fi; done', (r) => {
  const m = r.stdout.trim();
  return m === 'apt-get' ? 'apt' : m || 'unknown';
});

/** The manager to use: `use`, else the pkg_mgr fact when gathered, else what the host has. */
async function managerOf(args: Args, ctx: Parameters<NonNullable<typeof pkg.plan>>[1]): Promise<string> {
  if (args.use !== 'auto') return args.use;
  const fact = (ctx.vars.ansible_facts as Record<string, unknown> | undefined)?.pkg_mgr;
  if (typeof fact === 'string' && fact) return fact;
  return ctx.host.get(managerRead);
}

const pkg = defineModule<Args, AptWork>({
  name: 'package',
  description:
    "Ansible's package: installs or removes packages with the host's own manager (`use`, else the pkg_mgr fact, else what the host has). On Debian and Ubuntu it is `apt`, with all of apt's arguments; tsplay has no dnf or yum module yet, so a RHEL host fails naming that.",
  examples: ['- package:\n    name: [haproxy, etcd-client]\n    state: present', '- package: { name: telnet, state: absent }'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { ...aptProperties, use: { type: 'string', minLength: 1, default: 'auto', description: 'The manager module to use (apt); auto: the host\'s.' } },
  },
  reads: (args) => {
    foldAptAliases(args as unknown as Record<string, unknown>);
    return args.use === 'auto' ? [managerRead, aptRead(args)] : args.use === 'apt' ? [aptRead(args)] : [];
  },
  async plan(args, ctx) {
    foldAptAliases(args as unknown as Record<string, unknown>);
    const manager = await managerOf(args, ctx);
    if (manager === 'apt') return aptPlan(args, ctx);
    if (manager === 'unknown') throw new ModuleError('Could not detect which package manager to use. Try gathering facts or setting the "use" option.');
    throw new ModuleError(`package: the host's manager is ${manager}, and tsplay has no ${manager} module yet (it has apt); see docs/differences.md`);
  },
  apply: aptApply,
});
export default pkg;
