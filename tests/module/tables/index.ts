/**
 * Every module's tester table. The same tables run over the local
 * connection (tables.test.ts) and over SSH against a real sshd
 * (tables-ssh.test.ts). A table is a function of where it runs.
 */
import type { ModuleCase } from '../../../lib/testing/index.js';

export interface TableEnv {
  /** The login user on the host (what commands run as without become). */
  user: string;
}

export type Table = (env: TableEnv) => ModuleCase[];

export const tables: Record<string, () => Promise<{ default: Table }>> = {
  add_host: () => import('./add_host.js'),
  assert: () => import('./assert.js'),
  backup: () => import('./backup.js'),
  blockinfile: () => import('./blockinfile.js'),
  command: () => import('./command.js'),
  copy: () => import('./copy.js'),
  debug: () => import('./debug.js'),
  env_file: () => import('./env_file.js'),
  etcd_add_member_plan: () => import('./etcd_add_member_plan.js'),
  etcd_decommission_plan: () => import('./etcd_decommission_plan.js'),
  etcd_member: () => import('./etcd_member.js'),
  etcd_restore_plan: () => import('./etcd_restore_plan.js'),
  etcd_snapshot: () => import('./etcd_snapshot.js'),
  etcd_alarm: () => import('./etcd_alarm.js'),
  etcd_defrag: () => import('./etcd_defrag.js'),
  etcd_status: () => import('./etcd_status.js'),
  fail: () => import('./fail.js'),
  fetch: () => import('./fetch.js'),
  file: () => import('./file.js'),
  file_copy: () => import('./file_copy.js'),
  flanneld_config: () => import('./flanneld_config.js'),
  group_by: () => import('./group_by.js'),
  haproxy_backend: () => import('./haproxy_backend.js'),
  include_vars: () => import('./include_vars.js'),
  inventory_file: () => import('./inventory_file.js'),
  lineinfile: () => import('./lineinfile.js'),
  meta: () => import('./meta.js'),
  openshift_etcd_facts: () => import('./openshift_etcd_facts.js'),
  pause: () => import('./pause.js'),
  ping: () => import('./ping.js'),
  replace: () => import('./replace.js'),
  service: () => import('./service.js'),
  set_fact: () => import('./set_fact.js'),
  setup: () => import('./setup.js'),
  shell: () => import('./shell.js'),
  slurp: () => import('./slurp.js'),
  stat: () => import('./stat.js'),
  static_pod: () => import('./static_pod.js'),
  systemd: () => import('./systemd.js'),
  systemd_dropin: () => import('./systemd_dropin.js'),
  template: () => import('./template.js'),
  wait_for: () => import('./wait_for.js'),
  wait_for_connection: () => import('./wait_for_connection.js'),
  yaml_edit: () => import('./yaml_edit.js'),
  // Network, downloads, archives and trees.
  get_url: () => import('./get_url.js'),
  uri: () => import('./uri.js'),
  find: () => import('./find.js'),
  tempfile: () => import('./tempfile.js'),
  unarchive: () => import('./unarchive.js'),
  archive: () => import('./archive.js'),
  assemble: () => import('./assemble.js'),
  git: () => import('./git.js'),
  // Users, access and system.
  user: () => import('./user.js'),
  group: () => import('./group.js'),
  cron: () => import('./cron.js'),
  raw: () => import('./raw.js'),
  script: () => import('./script.js'),
  sysctl: () => import('./sysctl.js'),
  authorized_key: () => import('./authorized_key.js'),
  getent: () => import('./getent.js'),
  known_hosts: () => import('./known_hosts.js'),
  hostname: () => import('./hostname.js'),
  // Packages, service facts, mount, reboot.
  apt: () => import('./apt.js'),
  apt_repository: () => import('./apt_repository.js'),
  package_facts: () => import('./package_facts.js'),
  service_facts: () => import('./service_facts.js'),
  package: () => import('./package.js'),
  mount: () => import('./mount.js'),
  yum_repository: () => import('./yum_repository.js'),
  reboot: () => import('./reboot.js'),
  timezone: () => import('./timezone.js'),
  dnf: () => import('./dnf.js'),
  yum: () => import('./yum.js'),
  rpm_key: () => import('./rpm_key.js'),
};
