/**
 * etcd_member: one member present (added, or its peer URLs updated) or
 * absent (removed), idempotently, with quorum safety in numbers. The plan
 * reads the member list (and health, when something would change), so check
 * mode predicts exactly the add, update or remove.
 */
import { defineModule, ModuleError, type FileDiff, type HostView } from '../lib/module/kit.js';
import { etcdConnProperties, etcdctlCommand, splitUrls, type EtcdConn, type EtcdConnArgs } from '../lib/etcd/etcdctl.js';
import { normaliseHexId } from '../lib/etcd/ids.js';
import { joinValues } from '../lib/etcd/initial-cluster.js';
import { decideMember, membersAfter, membersText, type MemberAction, type MemberWish } from '../lib/etcd/member-plan.js';
import { badArgument, connFor, etcdExec, execWithReads, memberListReads } from '../lib/etcd/module-support.js';
import { etcdctlError, parseMemberAdd, parseMemberList, type Member, type MemberList } from '../lib/etcd/parse.js';
import { additionRefusal, removalRefusal } from '../lib/etcd/quorum.js';
import { listMembers, readView } from '../lib/etcd/read.js';
import { retryUnhealthy } from '../lib/etcd/retry.js';

interface Args extends EtcdConnArgs {
  name?: string;
  peer_urls?: string[] | string;
  state: 'present' | 'absent';
  id?: string;
  force: boolean;
  learner: boolean;
}

/**
 * etcd promotes a learner only once its log has caught up with the leader's;
 * until then it answers this. A learner that never starts never catches up:
 * the bounded wait (about 60 s) ends with etcd's own reason.
 */
const NOT_IN_SYNC = /can only promote a learner member which is in sync with leader|etcdserver: unhealthy cluster/;
// A learner that has just started catches up in well under a second on a
// cluster of OpenShift's size: asked often at first, then less, about 60 s in all.
const PROMOTE_BACKOFF_S = [...Array(8).fill(0.25), ...Array(8).fill(0.5), ...Array(10).fill(1), ...Array(8).fill(5)];

interface State {
  conn: EtcdConn;
  wish: MemberWish;
  action: MemberAction;
}

function brief(m: Member) {
  return { id: m.id, name: m.name, peer_urls: m.peer_urls, client_urls: m.client_urls, is_learner: m.is_learner };
}

/** The values a joining host's etcd.conf needs: at the top (as etcdctl prints them) and as one map. */
function joinResult(members: Member[], name: string, id: string) {
  const v = joinValues(members, name, id);
  return { ...v, etcd_conf: v };
}

function wishFrom(args: Args, ctx: Parameters<typeof connFor>[1]): MemberWish {
  const peer_urls = splitUrls(args.peer_urls);
  let id: string | undefined;
  if (args.id !== undefined) {
    id = normaliseHexId(args.id) ?? undefined;
    if (!id) throw badArgument(ctx, `etcd_member: id '${args.id}' is not a member ID (hex, up to 16 digits, as \`etcdctl member list\` prints it)`);
  }
  if (args.state === 'present' && (!args.name || peer_urls.length === 0)) {
    throw badArgument(ctx, 'etcd_member: state=present needs both name and peer_urls');
  }
  if (args.state === 'absent' && !id && !args.name && peer_urls.length === 0) {
    throw badArgument(ctx, 'etcd_member: state=absent needs id, name or peer_urls to find the member');
  }
  return { state: args.state, name: args.name, peer_urls, id, learner: args.learner };
}

/** Learners came with etcd 3.4: every member that reports its version must be 3.4 or later (none reporting: not known, so no). */
export function learnersSupported(versions: (string | undefined)[]): boolean {
  const known = versions.filter((v): v is string => !!v);
  return known.length > 0 && known.every((v) => {
    const [major, minor] = v.split('.').map(Number);
    return major! > 3 || (major === 3 && minor! >= 4);
  });
}

/** Health of every member, for the quorum check: only read when something would change. */
async function counts(host: HostView, conn: EtcdConn, listed: { list: MemberList; answered_by: string }) {
  const view = await readView(etcdExec(host), conn, listed);
  return { view, counts: { members: view.member_count, healthy: view.healthy_count } };
}

function describe(a: MemberAction, wish: MemberWish): string {
  switch (a.action) {
    case 'add':
      return `add member ${wish.name} (${wish.peer_urls.join(',')})${wish.learner ? ' as a learner' : ''}`;
    case 'promote':
      return `promote learner ${a.member.name || '(not started)'} (${a.member.id}) to a voting member`;
    case 'update':
      return `update member ${a.member.name} (${a.member.id}) peer URLs ${a.member.peer_urls.join(',')} -> ${wish.peer_urls.join(',')}`;
    case 'remove':
      return `remove member ${a.member.name || '(not started)'} (${a.member.id})`;
    default:
      return wish.state === 'present' ? `member ${wish.name} is present` : `no member ${wish.id ?? wish.name ?? wish.peer_urls.join(',')}: already absent`;
  }
}

/** Runs a membership change, retrying `unhealthy cluster` (and what `transient` adds); throws with etcdctl's reason otherwise. */
async function change(host: HostView, conn: EtcdConn, words: string[], log: (m: string) => void, transient?: RegExp) {
  // etcdctl 3.4 panics printing `member promote -w json` (after the promotion is done): that one is asked in its plain form.
  const format = words[1] === 'promote' ? [] : ['-w', 'json'];
  const r = await retryUnhealthy(() => host.run(etcdctlCommand(conn, [...words, ...format]), { allowFailure: true }), {
    onRetry: (n, s, e) => log(`${e} (attempt ${n}); retrying in ${s} s`),
    ...(transient ? { transient, backoffS: PROMOTE_BACKOFF_S } : {}),
  });
  if (r.rc !== 0) throw new ModuleError(`etcdctl member ${words[1]} failed after ${r.attempts} attempt(s): ${etcdctlError(r.stderr, r.stdout)}`);
  return r;
}

export default defineModule<Args, State>({
  name: 'etcd_member',
  description:
    'Makes one etcd member present (adds it, or updates its peer URLs) or absent (removes it by id, name or peer URL). ' +
    'Refuses to remove the last member, and a change that leaves the cluster without a quorum of healthy members unless ' +
    'force: true. After an add it returns ETCD_NAME, ETCD_INITIAL_CLUSTER and ETCD_INITIAL_CLUSTER_STATE for the joining ' +
    "host's etcd.conf. Retries `etcdserver: unhealthy cluster` with a bounded backoff. With learner: true the member is added " +
    'without a vote (`member add --learner`, etcd 3.4+), so one that never starts cannot cost the quorum; the same task without ' +
    'learner then promotes it once it has caught up.',
  examples: [
    '- name: Add master-2 back\n  etcd_member:\n    name: master-2.example.com\n    peer_urls: https://192.168.55.13:2380\n  register: added\n\n- lineinfile:\n    path: /etc/etcd/etcd.conf\n    regexp: "^{{ item.key }}="\n    line: "{{ item.key }}={{ item.value }}"\n  loop: "{{ added.etcd_conf | dict2items }}"\n  delegate_to: master-2',
    '- name: Remove a lost member\n  etcd_member:\n    id: 24dab00a8616902d\n    state: absent',
    '- name: Fix the peer URL after --force-new-cluster\n  etcd_member:\n    name: master-0.example.com\n    peer_urls: https://192.168.55.8:2380',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, description: 'The member name (ETCD_NAME of its host).' },
      peer_urls: {
        anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
        description: 'Peer URLs (ETCD_INITIAL_ADVERTISE_PEER_URLS), list or comma-separated.',
      },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: add the member or update its peer URLs; absent: remove it.' },
      id: { type: 'string', description: 'Member ID in hex, as `etcdctl member list` prints it (absent only, or to check).' },
      force: { type: 'boolean', default: false, description: 'Make a change that leaves the cluster without quorum.' },
      learner: {
        type: 'boolean',
        default: false,
        description:
          'Add the member as a learner (`member add --learner`, etcd 3.4+): it has no vote until promoted, so a member that never starts cannot cost the quorum, ' +
          'and it can always be removed again. With false (the default) a learner already there is promoted (`member promote`, retried until it has caught up, about 60 s at most).',
      },
      ...etcdConnProperties,
    },
  },
  reads: (args, { vars }) => memberListReads(args, vars),
  async plan(args, ctx) {
    const conn = await connFor(args, ctx);
    const wish = wishFrom(args, ctx);
    const listed = await listMembers(execWithReads(ctx.host, conn), conn);
    if (!listed.ok) return { changed: false, failed: `cannot read the member list: ${listed.error}` };
    const members = listed.list.members;
    const action = decideMember(members, wish);
    if (action.action === 'conflict') return { changed: false, failed: action.message };
    // Set when the cluster cannot take what was asked as asked (a learner on etcd before 3.4).
    let note = '';
    const describeNow = () => describe(action, wish) + note;
    const base = { action: action.action, cluster_id: listed.list.cluster_id, members: members.map(brief) };
    if (action.action === 'none') {
      const result = action.member
        ? { ...base, member: brief(action.member), ...joinResult(members, wish.name!, action.member.id) }
        : base;
      return { changed: false, msg: describeNow(), result };
    }
    if (action.action !== 'update') {
      const { view, counts: c } = await counts(ctx.host, conn, listed);
      if (action.action === 'add' && wish.learner && !learnersSupported(view.members.map((m) => m.version))) {
        // etcd before 3.4 (OpenShift 3.11 ships 3.2 and 3.3) has no learners, and
        // would take --learner's flag as a plain add: the member joins with a vote.
        wish.learner = false;
        note = ` (etcd ${view.members.map((m) => m.version).filter(Boolean).join(', ') || 'of unknown version'} has no learners: it joins with a vote)`;
      }
      const healthy = action.action === 'remove' && !!view.members.find((m) => m.id === action.member.id)?.healthy;
      const refusal =
        action.action === 'add'
          ? additionRefusal(c, args.force, wish.learner)
          : action.action === 'remove'
            ? removalRefusal(c, healthy, args.force, action.member.is_learner)
            : null;
      if (refusal) return { changed: false, failed: `refusing to ${describeNow()}: ${refusal}`, result: { ...base, healthy_count: c.healthy, member_count: c.members } };
    }
    const diff: FileDiff[] = [
      { label: `etcd members of cluster ${listed.list.cluster_id}`, before: membersText(members), after: membersText(membersAfter(members, wish, action)) },
    ];
    const predicted = action.action === 'add' ? {} : { member: brief(action.member) };
    return { changed: true, msg: `${ctx.check ? 'would ' : ''}${describeNow()}`, diff, result: { ...base, ...predicted }, state: { conn, wish, action } };
  },
  async apply(_args, ctx, plan) {
    const { conn, wish, action } = plan.state!;
    const log = ctx.log;
    if (action.action === 'add') {
      const r = await change(ctx.host, conn, ['member', 'add', wish.name!, `--peer-urls=${wish.peer_urls.join(',')}`, ...(wish.learner ? ['--learner'] : [])], log);
      const added = parseMemberAdd(r.stdout);
      return {
        changed: true,
        msg: `added member ${wish.name} (${added.member.id})${wish.learner ? ' as a learner' : ''}${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}`,
        result: { action: 'add', attempts: r.attempts, member: { ...brief(added.member), name: wish.name }, members: added.members.map(brief), ...joinResult(added.members, wish.name!, added.member.id) },
      };
    }
    if (action.action === 'promote') {
      const r = await change(ctx.host, conn, ['member', 'promote', action.member.id], log, NOT_IN_SYNC);
      const listed = await listMembers(etcdExec(ctx.host), conn);
      const members = listed.ok ? listed.list.members : [];
      return {
        changed: true,
        msg: `${describe(action, wish)}${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}`,
        result: { action: 'promote', attempts: r.attempts, member: { ...brief(action.member), is_learner: false }, members: members.map(brief) },
      };
    }
    if (action.action === 'update') {
      const r = await change(ctx.host, conn, ['member', 'update', action.member.id, `--peer-urls=${wish.peer_urls.join(',')}`], log);
      const members = parseMemberList(r.stdout).members;
      return {
        changed: true,
        msg: describe(action, wish),
        result: { action: 'update', attempts: r.attempts, member: { ...brief(action.member), peer_urls: wish.peer_urls }, members: members.map(brief) },
      };
    }
    if (action.action === 'remove') {
      const r = await change(ctx.host, conn, ['member', 'remove', action.member.id], log);
      const members = parseMemberList(r.stdout).members;
      return { changed: true, msg: describe(action, wish), result: { action: 'remove', attempts: r.attempts, member: brief(action.member), members: members.map(brief) } };
    }
    return { changed: false };
  },
});
