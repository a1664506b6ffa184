/**
 * Cases that change a real system's accounts (and other system state), for
 * a lab host only: never this machine's /etc. Every name is the test's own
 * (tagged with its pid) and each case's setup starts from a known state;
 * CLEANUP removes everything the cases made.
 */
import type { ModuleCase } from '../../lib/testing/index.js';

const tag = `t${process.pid}`;
export const U = `tsplay-u${tag}`;
export const G1 = `tsplay-g1${tag}`;
export const G2 = `tsplay-g2${tag}`;
/** A fixed SHA-512 crypt hash (of "tsplay"). */
export const HASH = '$6$tsplaysalt$n1mm5WXBhsqx/KXXlteLauqTikAvur32/bQlOYrhAKP5f5AnO.JlzACysxxxwIe/82c/HfdtA9ZV6FRSOq8oW/';

export const CLEANUP = `userdel -r ${U} 2>/dev/null; groupdel ${U} 2>/dev/null; groupdel ${G1} 2>/dev/null; groupdel ${G2} 2>/dev/null; true`;
const fresh = `${CLEANUP}; groupadd ${G1} && groupadd ${G2}`;

export const userCases: ModuleCase[] = [
  {
    name: 'a new user with uid, groups, shell and comment, and its home',
    become: true,
    setup: fresh,
    args: { name: U, uid: 23456, groups: [G1], shell: '/bin/sh', comment: 'Table user' },
    plan: { changed: true },
    result: { name: U, state: 'present', uid: 23456, shell: '/bin/sh', comment: 'Table user', home: `/home/${U}`, groups: G1, system: false, create_home: true },
    expect: { [`/home/${U}/.profile`]: { owner: U, group: U, mode: 0o644 } },
  },
  {
    name: 'append adds a group and keeps the others; the shell changes',
    become: true,
    setup: `${fresh} && useradd -m -G ${G1} -s /bin/sh ${U}`,
    args: { name: U, groups: G2, append: true, shell: '/bin/bash' },
    plan: { changed: true },
    result: { shell: '/bin/bash', append: true, groups: G2 },
  },
  {
    name: 'without append the user ends up in exactly the groups given',
    become: true,
    setup: `${fresh} && useradd -m -G ${G1},${G2} ${U}`,
    args: { name: U, groups: [G2] },
    plan: { changed: true },
    result: { groups: G2, append: false },
  },
  {
    name: 'a password hash is set once, and never shown',
    become: true,
    setup: `${fresh} && useradd -m ${U}`,
    args: { name: U, password: HASH },
    plan: { changed: true },
    result: { password: 'NOT_LOGGING_PASSWORD' },
  },
  {
    name: 'update_password: on_create leaves an existing password',
    become: true,
    setup: `${fresh} && useradd -m ${U}`,
    args: { name: U, password: HASH, update_password: 'on_create' },
    plan: { changed: false },
  },
  {
    name: 'a missing home directory is made, owned by the user',
    become: true,
    setup: `${fresh} && useradd -M ${U}`,
    args: { name: U },
    plan: { changed: true },
    // The skeleton's files, owned by the user.
    expect: { [`/home/${U}/.bashrc`]: { owner: U, group: U, mode: 0o644 } },
  },
  {
    name: 'state: absent with remove deletes the user and its home',
    become: true,
    setup: `${fresh} && useradd -m ${U}`,
    args: { name: U, state: 'absent', remove: true },
    plan: { changed: true },
    result: { name: U, state: 'absent', force: false, remove: true },
    expect: { [`/home/${U}/.profile`]: null },
  },
];

export const groupCases: ModuleCase[] = [
  {
    name: 'a new group with a gid',
    become: true,
    setup: CLEANUP,
    args: { name: G1, gid: 23457 },
    plan: { changed: true },
    result: { name: G1, state: 'present', gid: 23457, system: false },
  },
  {
    name: 'an existing group gets the gid asked for',
    become: true,
    setup: `${CLEANUP}; groupadd -g 23458 ${G1}`,
    args: { name: G1, gid: 23459 },
    plan: { changed: true },
    result: { gid: 23459 },
  },
  {
    name: 'state: absent removes the group',
    become: true,
    setup: `${CLEANUP}; groupadd ${G1}`,
    args: { name: G1, state: 'absent' },
    plan: { changed: true },
    result: { name: G1, state: 'absent' },
  },
];

/** The lab host's own name, put back by the cases' setup and at the end (with no pretty name, as the lab has none). */
export const LAB_HOSTNAME = 'master-0.example.com';
export const RESTORE_HOSTNAME = `hostnamectl --static set-hostname ${LAB_HOSTNAME} && hostnamectl --transient set-hostname ${LAB_HOSTNAME} && hostnamectl --pretty set-hostname '' && { [ -s /etc/machine-info ] || rm -f /etc/machine-info; }`;
const renamed = `tsplay-${tag}.example.com`;

export const hostnameCases: ModuleCase[] = [
  {
    name: 'its own name: nothing changes',
    become: true,
    setup: RESTORE_HOSTNAME,
    args: { name: LAB_HOSTNAME },
    plan: { changed: false },
    result: { name: LAB_HOSTNAME, ansible_facts: { ansible_hostname: 'master-0', ansible_nodename: LAB_HOSTNAME, ansible_fqdn: LAB_HOSTNAME, ansible_domain: 'example.com' } },
  },
  {
    name: 'a new name, running and permanent, through hostnamectl',
    become: true,
    setup: RESTORE_HOSTNAME,
    args: { name: renamed },
    plan: { changed: true },
    diff: [{ before: `hostname = ${LAB_HOSTNAME}\n`, after: `hostname = ${renamed}\n` }],
    expect: { '/etc/hostname': `${renamed}\n` },
    result: { name: renamed, ansible_facts: { ansible_hostname: `tsplay-${tag}`, ansible_nodename: renamed } },
  },
];
