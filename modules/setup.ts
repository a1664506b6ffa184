import { defineModule, reads, type ExecResult } from '../lib/module/kit.js';

/** Everything in one command, declared as a read: the engine runs it with the task's become and caches it per host. */
const SCRIPT = [
  'echo "hostname=$(hostname -s 2>/dev/null || hostname)"',
  'echo "fqdn=$(hostname -f 2>/dev/null || hostname)"',
  'echo "nodename=$(uname -n)"',
  'echo "kernel=$(uname -r)"',
  'echo "architecture=$(uname -m)"',
  'echo "system=$(uname -s)"',
  'echo "user_id=$(id -un)"',
  'echo "user_uid=$(id -u)"',
  'echo "user_gid=$(id -g)"',
  'echo "user_dir=$HOME"',
  'echo "nproc=$(nproc 2>/dev/null || echo 1)"',
  '. /etc/os-release 2>/dev/null; echo "os_id=${ID:-}"; echo "os_version=${VERSION_ID:-}"; echo "os_name=${NAME:-}"',
  'echo "epoch=$(date +%s)"',
  'echo "service_mgr=$(cat /proc/1/comm 2>/dev/null)"',
].join('; ');

const FAMILY: Record<string, string> = { debian: 'Debian', ubuntu: 'Debian', rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat' };

export function parseFacts(r: ExecResult): Record<string, unknown> {
  const f: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) f[line.slice(0, i)] = line.slice(i + 1);
  }
  return {
    ansible_hostname: f.hostname,
    ansible_fqdn: f.fqdn,
    ansible_nodename: f.nodename,
    ansible_kernel: f.kernel,
    ansible_architecture: f.architecture,
    ansible_system: f.system,
    ansible_user_id: f.user_id,
    ansible_user_uid: Number(f.user_uid),
    ansible_user_gid: Number(f.user_gid),
    ansible_user_dir: f.user_dir,
    ansible_processor_vcpus: Number(f.nproc),
    ansible_distribution: f.os_name?.split(' ')[0] ?? '',
    ansible_distribution_version: f.os_version,
    ansible_os_family: FAMILY[f.os_id] ?? f.os_id,
    ansible_service_mgr: f.service_mgr,
    ansible_date_time: { epoch: f.epoch },
  };
}

/** The facts, as one declared read (kept in the host's cache until something changes there). */
export const factsRead = reads.command(SCRIPT, parseFacts, { cache: true });

export default defineModule<Record<string, never>>({
  name: 'setup',
  description: 'Gathers facts about the host (what `gather_facts` runs): host name, FQDN, kernel, architecture, distribution, user (the become user under become), CPU count.',
  examples: ['- setup:', '- hosts: all\n  gather_facts: true\n  tasks:\n    - debug: var=ansible_hostname'],
  checkMode: 'always',
  schema: { type: 'object', additionalProperties: false, properties: {} },
  reads: () => [factsRead],
  async plan(_args, { host }) {
    return { changed: false, result: { ansible_facts: await host.get(factsRead) } };
  },
  async apply(_args, _ctx, plan) {
    return { changed: false, result: plan.result };
  },
});
