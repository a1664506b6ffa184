import { defineModule } from '../lib/module/kit.js';
import { aptApply, aptPlan, aptProperties, aptRead, foldAptAliases, type AptArgs, type AptWork } from '../lib/module/packages/apt-plan.js';

export default defineModule<AptArgs, AptWork>({
  name: 'apt',
  description:
    "Ansible's apt: installs (present, latest, fixed) or removes (absent, with purge) Debian packages, a `.deb` file (deb), removes what nothing needs (autoremove), and updates the package lists (update_cache, cache_valid_time). Looks in one round trip (dpkg-query and apt-cache policy); check mode asks `apt-get --simulate`. Results: cache_updated, cache_update_time, stdout, stderr, as Ansible's.",
  examples: [
    '- apt:\n    name: [haproxy, etcd-client]\n    update_cache: true\n    cache_valid_time: 3600',
    '- apt: { name: "etcd-server=3.4.*", state: present }',
    '- apt: { name: telnet, state: absent, purge: true }',
    '- apt: { deb: /tmp/tool_1.0_amd64.deb }',
  ],
  schema: { type: 'object', additionalProperties: false, properties: aptProperties },
  reads: (args) => {
    foldAptAliases(args as unknown as Record<string, unknown>);
    return [aptRead(args)];
  },
  async plan(args, ctx) {
    foldAptAliases(args as unknown as Record<string, unknown>);
    return aptPlan(args, ctx);
  },
  apply: aptApply,
});
