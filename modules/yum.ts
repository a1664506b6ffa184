import { defineModule } from '../lib/module/kit.js';
import { dnfApply, dnfPlan, dnfProperties, dnfRead, type DnfArgs, type DnfWork } from '../lib/module/packages/dnf-plan.js';

export default defineModule<DnfArgs, DnfWork>({
  name: 'yum',
  description:
    "Ansible's yum (the same implementation as dnf): installs (present, latest) or removes (absent) rpm packages from the host's repositories, with the host's dnf (yum where only yum is, as on RHEL 7). Looks in one round trip (rpm -q); a change is resolved by the manager itself with --assumeno, which is also check mode's answer. Results: results (Installed: …, Removed: …), msg, rc, as Ansible's. Like Ansible's, check mode's dry run may refresh the manager's metadata cache and write its log (no package is installed or removed). Tested with dnf 4 (Debian 12's) against an installroot, locally and over SSH; yum (RHEL 7) gets the same command lines (install, update, remove, --assumeno, -c, --installroot, --enablerepo, --disablerepo, --nogpgcheck), which yum 3 accepts, but is not run by the tests.",
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
