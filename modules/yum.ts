import { defineModule } from '../lib/module/kit.js';
import { dnfApply, dnfPlan, dnfProperties, dnfRead, type DnfArgs, type DnfWork } from '../lib/module/packages/dnf-plan.js';

export default defineModule<DnfArgs, DnfWork>({
  name: 'yum',
  description:
    "Ansible's yum (the same implementation as dnf): installs (present, latest) or removes (absent) rpm packages from the host's repositories, with the host's dnf (yum where only yum is, as on RHEL 7). Looks in one round trip (rpm -q); a change is resolved by the manager itself with --assumeno, which is also check mode's answer. Results: results (Installed: …, Removed: …), msg, rc, as Ansible's.",
  examples: [
    '- yum:\n    name: [etcd, haproxy]\n    state: present',
    '- yum: { name: atomic-openshift-clients, state: latest, enablerepo: rhel-7-server-ose-3.11-rpms }',
    '- yum: { name: telnet, state: absent }',
  ],
  schema: { type: 'object', additionalProperties: false, properties: dnfProperties },
  reads: (args) => [dnfRead(args)],
  plan: dnfPlan,
  apply: dnfApply,
});
