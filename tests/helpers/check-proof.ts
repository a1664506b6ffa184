/**
 * The proof that a run changed nothing on the lab's hosts, beyond the files
 * hashed by tests/playbooks/helpers.ts's hashHost:
 *
 *   - every file a playbook could touch (hashHost: the root file system but
 *     the runtime and log trees), byte for byte;
 *   - every running systemd unit, by its InvocationID: a unit restarted, even
 *     one that comes back at once, has a new one; a unit stopped or started
 *     appears or disappears;
 *   - the list of files under /tmp, /run and /var/tmp (the trees hashHost
 *     leaves out, where a restart, a lock or a forgotten temporary file shows).
 *
 *   const before = await snapshotHosts(['master-0', 'lb']);
 *   ... tsplay run ... --check
 *   await assertHostsUnchanged(t, before, 'after --check');
 *
 * A host that is powered off has no state to change: it is left out, and a
 * host that was off before must still be off after.
 */
import type { Test } from 'tap';
import { labExec, labHostAddress } from './lab.js';
import { hashDiff, hashHost } from '../playbooks/helpers.js';

/**
 * Files under /tmp, /run, /var/tmp that appear without the playbook doing
 * anything. Measured on the lab (a healthy cluster idle for 60 s, a cluster
 * with quorum lost idle for 90 s: no unit restarted and no file came or
 * went under these trees), and for an SSH login, which every run makes:
 * pam_motd writes /run/motd.dynamic at each login (it stays). Only that is
 * excluded; logind keeps no session of the lab's logins (no session scope,
 * no /run/user/0), so nothing else of a login shows.
 */
const SCRATCH_CHURN = [/^\/run\/motd\.dynamic$/];

export interface HostState {
  /** sha256 by path (hashHost). */
  files: Map<string, string>;
  /** InvocationID by unit, for every unit whose sub-state is `running`. */
  units: Map<string, string>;
  /** Every path under /tmp, /run and /var/tmp (files, folders, sockets, links). */
  scratch: Set<string>;
}

/** What differs between two states of one host, as an operator would read it. */
export interface StateChange {
  files: string[];
  units: string[];
  scratch: string[];
}

async function must(host: string, cmd: string, what: string): Promise<string> {
  const r = await labExec(host, cmd);
  if (r.rc !== 0) throw new Error(`${host}: reading ${what} failed (rc ${r.rc}): ${r.stderr}`);
  return r.stdout;
}

/** InvocationID of every running unit (services, sockets, scopes, ...). */
export async function runningUnits(host: string): Promise<Map<string, string>> {
  const out = await must(
    host,
    "systemctl list-units --all --state=running --no-legend --plain | awk '{print $1}' | xargs --no-run-if-empty systemctl show --property=Id,InvocationID",
    'the running units',
  );
  const units = new Map<string, string>();
  for (const block of out.split('\n\n')) {
    const id = /^Id=(.*)$/m.exec(block)?.[1];
    if (id) units.set(id, /^InvocationID=(.*)$/m.exec(block)?.[1] ?? '');
  }
  return units;
}

/** Every path under /tmp, /run and /var/tmp but the churn above. */
export async function scratchFiles(host: string): Promise<Set<string>> {
  // -xdev: what other file systems mount below (a host's credentials) is not scratch space.
  const out = await must(host, 'find /tmp /run /var/tmp -xdev -mindepth 1 -print 2>/dev/null; true', 'the scratch folders');
  return new Set(out.split('\n').filter((p) => p && !SCRATCH_CHURN.some((re) => re.test(p))));
}

/** The state of one host, or undefined when it is powered off. */
export async function hostState(host: string): Promise<HostState | undefined> {
  const up = await labExec(host, 'true');
  if (up.rc !== 0) return undefined;
  const [files, units, scratch] = await Promise.all([hashHost(host), runningUnits(host), scratchFiles(host)]);
  return { files, units, scratch };
}

/** The state of each host (undefined: powered off), read on all hosts at once. */
export async function snapshotHosts(hosts: string[]): Promise<Map<string, HostState | undefined>> {
  const states = await Promise.all(hosts.map((h) => hostState(h)));
  return new Map(hosts.map((h, i) => [h, states[i]]));
}

/** Files changed, units restarted, stopped or started, scratch paths come or gone. */
export function stateChanges(before: HostState, after: HostState): StateChange {
  const units: string[] = [];
  for (const [unit, id] of before.units) {
    const now = after.units.get(unit);
    if (now === undefined) units.push(`${unit}: no longer running`);
    else if (now !== id) units.push(`${unit}: restarted (InvocationID ${id} -> ${now})`);
  }
  for (const unit of after.units.keys()) if (!before.units.has(unit)) units.push(`${unit}: started`);
  const scratch = [...[...before.scratch].filter((p) => !after.scratch.has(p)).map((p) => `${p}: gone`), ...[...after.scratch].filter((p) => !before.scratch.has(p)).map((p) => `${p}: new`)];
  return { files: hashDiff(before.files, after.files), units: units.sort(), scratch: scratch.sort() };
}

/** Asserts that every host is as `before` found it: powered on or off, files, units, scratch. */
export async function assertHostsUnchanged(t: Test, before: Map<string, HostState | undefined>, what: string): Promise<void> {
  const after = await snapshotHosts([...before.keys()]);
  for (const [host, was] of before) {
    const now = after.get(host);
    if (!was) {
      t.equal(now, undefined, `${host}: still powered off ${what}`);
      continue;
    }
    if (!now) {
      t.fail(`${host}: powered off ${what}`);
      continue;
    }
    const change = stateChanges(was, now);
    t.same(change.files, [], `${host}: every file byte-identical ${what} (${was.files.size} files)`);
    t.same(change.units, [], `${host}: every running unit kept its InvocationID, none started or stopped ${what} (${was.units.size} units)`);
    t.same(change.scratch, [], `${host}: no file came or went under /tmp, /run, /var/tmp ${what} (${was.scratch.size} paths)`);
  }
}

/**
 * The member list each etcd host's own member serves (IDs, names, peer URLs,
 * learner or voter), or `no answer`: what `etcdctl member list` shows an
 * operator on each host. etcd 3.4 serves it from the member's own view, so
 * it answers without quorum too.
 */
export async function etcdMemberLists(hosts: string[]): Promise<Map<string, string>> {
  const members = hosts.filter((x) => /^(master|etcd)-\d$/.test(x));
  const answers = await Promise.all(members.map((h) => labExec(h, `etcdctl3 --command-timeout=5s --endpoints=https://${labHostAddress(h)}:2379 member list -w json 2>/dev/null`)));
  const out = new Map<string, string>();
  for (const [i, h] of members.entries()) {
    const r = answers[i]!;
    if (r.rc !== 0) {
      out.set(h, 'no answer');
      continue;
    }
    // IDs are 64-bit: quoted before parsing, so no digit is lost to a double.
    const list = JSON.parse(r.stdout.replace(/"ID":(\d+)/g, '"ID":"$1"')) as { members?: { ID: number | string; name?: string; peerURLs?: string[]; isLearner?: boolean }[] };
    const members = (list.members ?? []).map((m) => `${BigInt(m.ID).toString(16)} ${m.name ?? '(not started)'} ${(m.peerURLs ?? []).join(',')}${m.isLearner ? ' learner' : ''}`);
    out.set(h, members.sort().join('; '));
  }
  return out;
}
