/**
 * Defragmenting one etcd member (4.x 5.13.6.2, on 3.11 the same etcdctl
 * call): the guard that keeps quorum safe, the defrag with its timeout raised
 * on a timeout error as the document says, and the member's DB size before
 * and after. Runs over any command runner, so the error paths a real member
 * cannot produce on demand (a defrag that times out) are tested with a fake.
 */
import type { ClusterView, MemberState } from './cluster.js';
import { etcdctlCommand, type EtcdConn } from './etcdctl.js';
import { etcdctlError, parseEndpointStatus, type EndpointStatus } from './parse.js';
import type { EtcdExec } from './read.js';

/** etcdctl's messages when the command timeout ran out before the member answered. */
const TIMEOUT_ERROR = /context deadline exceeded|DeadlineExceeded|timed out|i\/o timeout/i;

export function isTimeoutError(message: string): boolean {
  return TIMEOUT_ERROR.test(message);
}

/** The timeouts to try, in seconds: `first`, doubled after each timeout, the last one `max`. */
export function timeoutSteps(first: number, max: number): number[] {
  const steps: number[] = [];
  for (let t = first; t < max; t *= 2) steps.push(t);
  steps.push(max);
  return steps;
}

/** "30s", "2m", "1m30s", or a bare number of seconds, to seconds; NaN when it is none of these. */
export function parseDuration(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(v.trim());
  if (!m || v.trim() === '') return NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** The member behind an endpoint, by its client URLs. */
export function memberAt(view: ClusterView, endpoint: string): MemberState | undefined {
  return view.members.find((m) => m.client_urls.includes(endpoint));
}

/**
 * Why defragmenting now would put quorum at risk, or null when every voting
 * member is healthy: a defrag blocks its member until it finishes, so with
 * any other member down the cluster could lose quorum meanwhile.
 */
export function unsafeToDefragment(view: ClusterView): string | null {
  const sick = view.members.filter((m) => !m.is_learner && (!m.healthy || !m.reachable));
  if (sick.length === 0) return null;
  const which = sick.map((m) => `${m.name || m.id} (${m.client_urls[0] ?? 'no client URL'}: ${m.error ?? 'not healthy'})`).join(', ');
  return (
    `${sick.length === 1 ? 'member' : 'members'} ${which} ${sick.length === 1 ? 'is' : 'are'} not healthy: ` +
    `a defragmented member does not answer until it finishes, so defragmenting now would put quorum at risk`
  );
}

/** One member's own status (DB size, leader), or its error. */
export async function memberStatus(exec: EtcdExec, conn: EtcdConn, endpoint: string): Promise<EndpointStatus> {
  const r = await exec(etcdctlCommand(conn, ['endpoint', 'status', '-w', 'json'], { endpoints: [endpoint] }));
  const s = parseEndpointStatus(r.stdout, r.stderr)[0];
  return s ?? { endpoint, error: etcdctlError(r.stderr, r.stdout) };
}

export type DefragOutcome = { ok: true; timeout: number; attempts: string[] } | { ok: false; error: string; attempts: string[] };

/**
 * `etcdctl defrag` of one endpoint (never --cluster: one member at a time),
 * with each timeout of `steps` in turn while the error is a timeout.
 */
export async function defragment(exec: EtcdExec, conn: EtcdConn, endpoint: string, steps: number[]): Promise<DefragOutcome> {
  const attempts: string[] = [];
  for (const seconds of steps) {
    const r = await exec(etcdctlCommand(conn, ['defrag'], { endpoints: [endpoint], commandTimeoutS: seconds }));
    if (r.rc === 0) return { ok: true, timeout: seconds, attempts };
    const error = etcdctlError(r.stderr, r.stdout);
    attempts.push(`--command-timeout=${seconds}s: ${error}`);
    if (!isTimeoutError(error)) return { ok: false, error, attempts };
  }
  return { ok: false, error: `it still timed out with --command-timeout=${steps[steps.length - 1]}s`, attempts };
}

/** 25165824 → "24.0 MiB", for the messages; the results keep bytes. */
export function humanBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
