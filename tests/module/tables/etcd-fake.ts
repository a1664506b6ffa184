/**
 * A stand-in etcdctl for the etcd modules' tester tables (the modules are
 * proved on a real cluster in tests/etcd/modules-on-lab.test.ts). It answers
 * from files beside it: `list.json` is the member list; a membership change
 * copies `after.json` over it and prints it; `snapshot save` writes a file;
 * `defrag` copies `status-after.json` over `status.json` (the smaller DB);
 * `alarm list` prints `alarms.txt`, which `alarm disarm` empties.
 */
export const FAKE_ETCDCTL = `#!/bin/bash
d=$(dirname "$0")
words=(); for a in "$@"; do case $a in --*) ;; *) words+=("$a");; esac; done
case "\${words[0]} \${words[1]}" in
  "member list") cat "$d/list.json" ;;
  "member add"|"member remove"|"member update") cp "$d/after.json" "$d/list.json"; cat "$d/after.json" ;;
  "endpoint status") cat "$d/status.json" ;;
  "endpoint health") cat "$d/health.json" ;;
  "snapshot save") printf 'snapshot' > "\${words[2]}" ;;
  "defrag ") [[ -f "$d/status-after.json" ]] && cp "$d/status-after.json" "$d/status.json"; echo "Finished defragmenting etcd member" ;;
  "alarm list") cat "$d/alarms.txt" 2>/dev/null ;;
  "alarm disarm") cat "$d/alarms.txt" 2>/dev/null; : > "$d/alarms.txt" ;;
  "snapshot status") echo '{"hash":3362226543,"revision":12,"totalKey":1007,"totalSize":122880}' ;;
  *) echo "Error: unexpected \${words[*]}" >&2; exit 2 ;;
esac
`;

const m = (id: string, name: string, n: number) =>
  `{"ID":${id},"name":"${name}","peerURLs":["https://127.0.10.${n}:2380"],"clientURLs":["https://127.0.10.${n}:2379"]}`;
const M0 = m('14157584124841050879', 'master-0.example.com', 1);
const M1 = m('2655628489534115885', 'master-1.example.com', 2);
const list = (...members: string[]) => `{"header":{"cluster_id":6408109964783100507,"member_id":14157584124841050879},"members":[${members.join(',')}]}`;

export const TWO_MEMBERS = list(M0, M1);
export const ONE_MEMBER = list(M0);
export const STATUS = `[{"Endpoint":"https://127.0.10.1:2379","Status":{"header":{"member_id":14157584124841050879,"revision":12,"raft_term":2},"version":"3.4.23","dbSize":122880,"leader":14157584124841050879,"raftIndex":19,"raftTerm":2}}]`;
export const HEALTH_BOTH = '[{"endpoint":"https://127.0.10.1:2379","health":true},{"endpoint":"https://127.0.10.2:2379","health":true}]';

/** A single member's status with its DB size and the part of it in use (etcd 3.4). */
export function statusWithSize(dbSize: number, inUse: number): string {
  return STATUS.replace('"dbSize":122880', `"dbSize":${dbSize},"dbSizeInUse":${inUse}`);
}

/** The stand-in and its answers as a case's start files. */
export function fakeFiles(answers: { list: string; after?: string; health?: string; status?: string; statusAfter?: string; alarms?: string }) {
  return {
    ...(answers.statusAfter ? { 'status-after.json': answers.statusAfter } : {}),
    ...(answers.alarms !== undefined ? { 'alarms.txt': answers.alarms } : {}),
    etcdctl: { content: FAKE_ETCDCTL, mode: 0o755 },
    'list.json': answers.list,
    'after.json': answers.after ?? answers.list,
    'status.json': answers.status ?? STATUS,
    'health.json': answers.health ?? HEALTH_BOTH,
  };
}

export const fakeArgs = { etcdctl: '{{ test_dir }}/etcdctl', endpoints: 'https://127.0.10.1:2379' };
