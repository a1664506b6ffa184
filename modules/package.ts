import { defineModule, ModuleError, reads, type ApplyContext, type Plan } from '../lib/module/kit.js';
import { aptApply, aptPlan, aptProperties, aptRead, foldAptAliases, type AptArgs, type AptWork } from '../lib/module/packages/apt-plan.js';
import { dnfApply, dnfPlan, dnfRead, type DnfArgs, type DnfWork } from '../lib/module/packages/dnf-plan.js';

interface Args extends AptArgs {
  use: string;
}

type Work = ({ manager: 'apt' } & AptWork) | ({ manager: 'dnf' } & { dnf: DnfWork });

// Which manager the host has, as Ansible's pkg_mgr fact decides: a Debian host's is apt even with dnf or yum installed
// (Debian packages them); otherwise dnf, then yum (RHEL 7), then apt-get.
const managerRead = reads.command(
  'if [ -e /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then echo apt; else for m in dnf yum apt-get; do if command -v "$m" >/dev/null 2>&1; then echo "$m"; break; fi; done; fi',
  (r) => {
    const m = r.stdout.trim();
    return m === 'apt-get' ? 'apt' : m || 'unknown';
  },
);

/** The manager to use: `use`, else the pkg_mgr fact when gathered, else what the host has. */
async function managerOf(args: Args, ctx: Parameters<NonNullable<typeof pkg.plan>>[1]): Promise<string> {
  if (args.use !== 'auto') return args.use;
  const fact = (ctx.vars.ansible_facts as Record<string, unknown> | undefined)?.pkg_mgr;
  if (typeof fact === 'string' && fact) return fact;
  return ctx.host.get(managerRead);
}

/** apt's arguments that dnf and yum have no counterpart for: an error on an rpm host, never ignored. */
const APT_ONLY = ['cache_valid_time', 'deb', 'autoremove', 'purge', 'install_recommends', 'force', 'allow_unauthenticated', 'allow_downgrade', 'allow_change_held_packages', 'only_upgrade', 'dpkg_options', 'lock_timeout'] as const;

/** The task as dnf's arguments: name, state and update_cache are common to both managers. */
function asDnfArgs(args: Args): DnfArgs {
  const defaults = pkg.schema.properties as Record<string, { default?: unknown }>;
  const given = APT_ONLY.filter((k) => args[k] !== undefined && args[k] !== defaults[k]?.default);
  if (given.length) throw new ModuleError(`package: ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} apt's, and this host's manager is dnf or yum: use the dnf module's arguments (docs/modules/dnf.md)`);
  if (args.state === 'fixed') throw new ModuleError("package: state 'fixed' is apt's; dnf and yum have present, latest and absent");
  const name = args.name ?? args.pkg ?? args.package;
  return { name, state: args.state, update_cache: args.update_cache, disable_gpg_check: false, installroot: '/' };
}

const pkg = defineModule<Args, Work>({
  name: 'package',
  description:
    "Ansible's package: installs or removes packages with the host's own manager (`use`, else the pkg_mgr fact, else what the host has). On Debian and Ubuntu it is `apt`, with all of apt's arguments; on RHEL, CentOS and Fedora it is `dnf` (yum where only yum is), with name, state and update_cache.",
  examples: ['- package:\n    name: [haproxy, etcd-client]\n    state: present', '- package: { name: telnet, state: absent }'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { ...aptProperties, use: { type: 'string', minLength: 1, default: 'auto', description: "The manager module to use (apt, dnf or yum); auto: the host's." } },
  },
  reads: (args) => {
    foldAptAliases(args as unknown as Record<string, unknown>);
    // Both managers' looks ride with the pick, so a task with nothing to change is one round trip on either kind of host.
    const rpmLook = dnfRead({ name: args.name ?? args.pkg ?? args.package, disable_gpg_check: false, installroot: '/' });
    if (args.use === 'auto') return [managerRead, aptRead(args), rpmLook];
    return args.use === 'apt' ? [aptRead(args)] : args.use === 'dnf' || args.use === 'yum' ? [rpmLook] : [];
  },
  async plan(args, ctx): Promise<Plan<Work>> {
    foldAptAliases(args as unknown as Record<string, unknown>);
    const manager = await managerOf(args, ctx);
    if (manager === 'apt') {
      const p = await aptPlan(args, ctx);
      return { ...p, state: p.state && { manager: 'apt', ...p.state } };
    }
    if (manager === 'dnf' || manager === 'yum') {
      const p = await dnfPlan(asDnfArgs(args), ctx);
      return { ...p, state: p.state && { manager: 'dnf', dnf: p.state } };
    }
    if (manager === 'unknown') throw new ModuleError('Could not detect which package manager to use. Try gathering facts or setting the "use" option.');
    throw new ModuleError(`package: the host's manager is ${manager}, and tsplay has no ${manager} module (it has apt, dnf and yum); see docs/differences.md`);
  },
  async apply(args, ctx: ApplyContext, plan) {
    const work = plan.state!;
    if (work.manager === 'dnf') return dnfApply(asDnfArgs(args), ctx, { ...plan, state: work.dnf });
    const { manager: _, ...apt } = work;
    return aptApply(args, ctx, { ...plan, state: apt });
  },
});
export default pkg;
