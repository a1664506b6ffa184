/**
 * What etcd_member would do, decided from the member list alone: add,
 * update the peer URLs, remove, or nothing. Pure, so check mode's
 * prediction and the real run's decision are the same code.
 */
import type { Member } from './parse.js';

export interface MemberWish {
  state: 'present' | 'absent';
  name?: string;
  peer_urls: string[];
  /** Normalised hex. */
  id?: string;
  /** Add it as a learner (no vote until promoted); a member already there, learner or voter, is left as it is. */
  learner?: boolean;
}

export type MemberAction =
  | { action: 'none'; member?: Member }
  | { action: 'add' }
  | { action: 'update'; member: Member }
  | { action: 'promote'; member: Member }
  | { action: 'remove'; member: Member }
  | { action: 'conflict'; message: string };

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function decideMember(members: Member[], wish: MemberWish): MemberAction {
  const byId = wish.id ? members.find((m) => m.id === wish.id) : undefined;
  const byName = wish.name ? members.find((m) => m.name === wish.name) : undefined;
  const byPeer = members.find((m) => m.peer_urls.some((u) => wish.peer_urls.includes(u)));

  if (wish.state === 'absent') {
    // The most exact identification wins: ID, then name, then peer URL.
    const target = wish.id ? byId : wish.name ? byName : byPeer;
    return target ? { action: 'remove', member: target } : { action: 'none' };
  }

  if (byName && byPeer && byName.id !== byPeer.id) {
    return {
      action: 'conflict',
      message: `${wish.name} is member ${byName.id}, but peer URL ${byPeer.peer_urls.find((u) => wish.peer_urls.includes(u))} belongs to member ${byPeer.id} (${byPeer.name || 'not started'}); remove one of them first`,
    };
  }
  // A member added but not started has no name yet: its peer URL identifies it.
  if (!byName && byPeer && byPeer.name !== '') {
    return {
      action: 'conflict',
      message: `peer URL ${byPeer.peer_urls.find((u) => wish.peer_urls.includes(u))} belongs to member ${byPeer.name} (${byPeer.id}), not ${wish.name}`,
    };
  }
  const target = byName ?? byPeer;
  if (wish.id && target && target.id !== wish.id) {
    return { action: 'conflict', message: `${wish.name} is member ${target.id}, not ${wish.id}` };
  }
  if (!target) return { action: 'add' };
  if (!sameSet(target.peer_urls, wish.peer_urls)) return { action: 'update', member: target };
  // A learner is wanted as a voter unless the wish is a learner: promoting it is what completes a join.
  if (target.is_learner && !wish.learner) return { action: 'promote', member: target };
  return { action: 'none', member: target };
}

/** The member list as --diff shows it: one line per member. */
export function membersText(members: Member[]): string {
  return members
    .map((m) => `${m.id} name=${m.name || '(not started)'}${m.is_learner ? ' learner' : ''} peerURLs=${m.peer_urls.join(',')}${m.client_urls.length ? ` clientURLs=${m.client_urls.join(',')}` : ''}\n`)
    .join('');
}

/** The member list after the action, as predicted. */
export function membersAfter(members: Member[], wish: MemberWish, a: MemberAction): Member[] {
  switch (a.action) {
    case 'add':
      return [...members, { id: '(new)', name: '', peer_urls: wish.peer_urls, client_urls: [], started: false, is_learner: !!wish.learner }];
    case 'promote':
      return members.map((m) => (m.id === a.member.id ? { ...m, is_learner: false } : m));
    case 'update':
      return members.map((m) => (m.id === a.member.id ? { ...m, peer_urls: wish.peer_urls } : m));
    case 'remove':
      return members.filter((m) => m.id !== a.member.id);
    default:
      return members;
  }
}
